"""Settings from the environment, PEM keys and seed validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from shop.identity import IdentitySettings, SeedApiKey
from shop.identity.keys import KeyRing, SigningKey


def test_from_env_reads_the_shop_variables(tmp_path: Path, signing_key: SigningKey) -> None:
    key_file = tmp_path / "signing.pem"
    key_file.write_text(signing_key.private_pem())
    settings = IdentitySettings.from_env(
        {
            "SHOP_IDENTITY_ISSUER": "https://id.shop.test",
            "SHOP_IDENTITY_AUDIENCE": "shop-test",
            "SHOP_DATABASE_URL": "sqlite+pysqlite:///:memory:",
            "SHOP_IDENTITY_SIGNING_KEY_FILE": str(key_file),
        },
        password_cost=4,
    )
    assert (settings.issuer, settings.audience, settings.password_cost) == (
        "https://id.shop.test",
        "shop-test",
        4,
    )
    assert KeyRing.from_pems(settings.signing_keys).active.kid == signing_key.kid


def test_defaults_need_no_environment() -> None:
    settings = IdentitySettings.from_env({})
    assert settings == IdentitySettings()
    assert len(KeyRing.from_pems(settings.signing_keys).jwks()["keys"]) == 1


def test_key_ids_are_stable_thumbprints(signing_key: SigningKey) -> None:
    assert SigningKey.from_pem(signing_key.private_pem()).kid == signing_key.kid


def test_the_active_key_cannot_be_retired(signing_key: SigningKey) -> None:
    ring = KeyRing([signing_key])
    with pytest.raises(ValueError, match="active"):
        ring.retire(signing_key.kid)


def test_short_api_keys_are_refused() -> None:
    with pytest.raises(ValueError, match="shorter than 24"):
        SeedApiKey("svc", "too-short")
