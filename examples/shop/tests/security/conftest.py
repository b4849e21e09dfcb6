"""The one-process shop as assay's ``api`` target, with a signing key the tests know.

The shop signs access tokens with the RSA key in ``signing_key_file``; the same key is
assay's ``[auth.tokens]`` key here, so the ``auth`` fixture mints tokens the shop
would accept — and every broken variant of them. Identities come from the shop's
``assay.toml``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assay import APITestClient
from assay.config import AssayConfig, AuthConfig, TokenConfig, build_identities, load_config
from shop.bootstrap import create_app
from shop.identity.keys import SigningKey
from shop.platform.settings import ShopSettings

CONFIG = Path(__file__).resolve().parents[2] / "assay.toml"
ISSUER = "https://shop.example"
AUDIENCE = "shop-api"


@pytest.fixture(scope="session")
def signing_key() -> SigningKey:
    return SigningKey.generate()


@pytest.fixture(scope="session")
def key_file(tmp_path_factory: pytest.TempPathFactory, signing_key: SigningKey) -> Path:
    path = tmp_path_factory.mktemp("keys") / "signing.pem"
    path.write_text(signing_key.private_pem(), encoding="ascii")
    return path


@pytest.fixture(scope="session")
def assay_config(key_file: Path, signing_key: SigningKey) -> AssayConfig:
    tokens = TokenConfig(
        private_key_file=str(key_file),
        algorithm="RS256",
        issuer=ISSUER,
        audience=AUDIENCE,
        kid=signing_key.kid,
    )
    return load_config(CONFIG).model_copy(update={"auth": AuthConfig(tokens=tokens)})


@pytest.fixture(scope="session")
def shop_client(key_file: Path, assay_config: AssayConfig) -> Iterator[APITestClient]:
    settings = ShopSettings(signing_key_file=str(key_file), password_cost=4, log_json=False)
    identities = build_identities(assay_config)
    with APITestClient(create_app(settings), identities=identities, validate=False) as client:
        yield client


@pytest.fixture
def api(shop_client: APITestClient) -> APITestClient:
    shop_client.clear_exchanges()
    return shop_client
