"""Access tokens and refresh tokens of the shop, tested with assay's ``auth`` fixture.

The shop must refuse every broken variant of a token it would otherwise accept
(expired, not yet valid, unsigned, re-signed with HMAC and the public key, a foreign
issuer or audience, missing claims, tampered claims, an unknown key id); rotate
refresh tokens and revoke the family when a rotated one comes back; and stop
accepting a session's tokens after logout.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from assay import APITestClient, AuthTestHelper
from assay.client.tokens import decode_unverified

SIGNED_VARIANTS = (
    "expired",
    "not_yet_valid",
    "missing_exp",
    "missing_sub",
    "wrong_issuer",
    "missing_issuer",
    "wrong_audience",
    "missing_audience",
    "alg_none",
    "bad_signature",
    "tampered_claims",
    "unknown_kid",
    "algorithm_confusion",
)


def _claims_of(auth: AuthTestHelper, name: str) -> dict[str, Any]:
    """The claims the shop put in a fresh token of identity `name` (times left out)."""
    token = auth.password_grant(name).json()["access_token"]
    decoded = decode_unverified(token)
    assert decoded is not None
    kept = ("sub", "scope", "roles", "kind")
    return {key: value for key, value in decoded[1].items() if key in kept}


@pytest.fixture(scope="module")
def ana_claims(shop_client: APITestClient, assay_config: Any) -> dict[str, Any]:
    helper = AuthTestHelper(shop_client, assay_config.auth.minter())
    return {**_claims_of(helper, "ana"), "nbf": int(time.time())}


def test_a_token_minted_with_the_shop_key_is_accepted(
    api: APITestClient, auth: AuthTestHelper, ana_claims: dict[str, Any]
) -> None:
    token = auth.token(**ana_claims)
    api.as_identity(auth.with_token(token)).get("/v1/orders").expect.status(200)


@pytest.mark.parametrize("variant", SIGNED_VARIANTS)
def test_every_broken_variant_is_refused_with_401(
    api: APITestClient, auth: AuthTestHelper, ana_claims: dict[str, Any], variant: str
) -> None:
    token = auth.broken(variant, **ana_claims)
    response = api.as_identity(auth.with_token(token)).get("/v1/orders")
    response.expect.status(401)
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_an_expired_token_names_invalid_token_in_its_challenge(
    api: APITestClient, auth: AuthTestHelper, ana_claims: dict[str, Any]
) -> None:
    token = auth.broken("expired", **ana_claims)
    response = api.as_identity(auth.with_token(token)).get("/v1/orders")
    assert 'error="invalid_token"' in response.headers["www-authenticate"]


def test_broken_copies_of_an_issued_token_are_refused(
    api: APITestClient, auth: AuthTestHelper
) -> None:
    issued = auth.password_grant("ben").json()["access_token"]
    api.as_identity(auth.with_token(issued)).get("/v1/orders").expect.status(200)
    broken = auth.keyless(issued, jwks_path="/.well-known/jwks.json")
    assert "algorithm_confusion" in broken
    for name, token in broken.items():
        status = api.as_identity(auth.with_token(token)).get("/v1/orders").status_code
        assert status == 401, name


def test_a_token_of_a_user_that_does_not_exist_is_refused(
    api: APITestClient, auth: AuthTestHelper, ana_claims: dict[str, Any]
) -> None:
    token = auth.minter.deleted_user("0" * 32, **{**ana_claims, "sub": None})
    api.as_identity(auth.with_token(token)).get("/v1/orders").expect.status(401)


def test_refresh_tokens_rotate_and_a_reused_one_revokes_the_family(auth: AuthTestHelper) -> None:
    flow = auth.refresh_reuse("ana")
    assert flow.rotated
    assert flow.reuse_status == 400
    assert flow.after_reuse_status == 400


def test_after_logout_the_sessions_tokens_are_refused(
    api: APITestClient, auth: AuthTestHelper
) -> None:
    session = auth.login("ben")
    as_ben = api.as_identity(session)
    as_ben.get("/v1/orders").expect.status(200)
    token = session.bearer_token
    assert token is not None
    as_ben.post("/v1/logout").expect.status(204)
    api.as_identity(auth.with_token(token)).get("/v1/orders").expect.status(401)
    # ben's own session, used by the other tests, is untouched:
    api.as_identity("ben").get("/v1/orders").expect.status(200)
