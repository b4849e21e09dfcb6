"""Every way an access token must be refused, each next to the variant that is accepted."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from collections.abc import Callable
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from starlette.testclient import TestClient

from shop.identity import IdentityRuntime, IdentitySettings
from shop.identity.keys import SigningKey

from .identity_app import FakeClock, bearer, password_grant

Mint = Callable[..., str]


@pytest.fixture
def ada_id(runtime: IdentityRuntime) -> str:
    user = runtime.accounts.user_by_email("ada@example.com")
    assert user is not None
    return user.id


@pytest.fixture
def claims(settings: IdentitySettings, clock: FakeClock, ada_id: str) -> dict[str, Any]:
    now = int(clock())
    return {
        "iss": settings.issuer,
        "aud": settings.audience,
        "sub": ada_id,
        "iat": now,
        "nbf": now,
        "exp": now + 300,
        "jti": uuid.uuid4().hex,
        "scope": "orders:read",
        "roles": ["customer"],
        "kind": "user",
    }


@pytest.fixture
def mint(signing_key: SigningKey, claims: dict[str, Any]) -> Mint:
    def make(
        drop: tuple[str, ...] = (),
        key: SigningKey | None = None,
        kid: str | None = None,
        **over: Any,
    ) -> str:
        payload = {k: v for k, v in {**claims, **over}.items() if k not in drop}
        signer = key or signing_key
        headers = {"kid": kid or signer.kid}
        return jwt.encode(payload, signer.private_key, algorithm="RS256", headers=headers)

    return make


def _status(client: TestClient, token: str) -> tuple[int, str]:
    response = client.get("/v1/orders", headers=bearer(token))
    return response.status_code, response.headers.get("www-authenticate", "")


def test_a_well_formed_token_is_accepted(client: TestClient, mint: Mint) -> None:
    assert _status(client, mint()) == (200, "")


def _unsigned(claims: dict[str, Any], header: dict[str, Any]) -> str:
    def part(value: dict[str, Any]) -> str:
        raw = json.dumps(value).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    return f"{part(header)}.{part(claims)}."


REFUSED: dict[str, Callable[[Mint, SigningKey, dict[str, Any]], str]] = {
    "bad signature": lambda mint, key, claims: mint(key=SigningKey.generate(), kid=key.kid),
    "tampered payload": lambda mint, key, claims: _tamper(mint()),
    "alg none": lambda mint, key, claims: _unsigned(claims, {"alg": "none", "kid": key.kid}),
    "hs256 with the public key": lambda mint, key, claims: _hs256_confusion(key, claims),
    "wrong issuer": lambda mint, key, claims: mint(iss="https://evil.example"),
    "missing issuer": lambda mint, key, claims: mint(drop=("iss",)),
    "wrong audience": lambda mint, key, claims: mint(aud="another-api"),
    "missing audience": lambda mint, key, claims: mint(drop=("aud",)),
    "expired": lambda mint, key, claims: mint(exp=claims["iat"] - 1),
    "not yet valid": lambda mint, key, claims: mint(nbf=claims["iat"] + 60),
    "missing subject": lambda mint, key, claims: mint(drop=("sub",)),
    "missing expiry": lambda mint, key, claims: mint(drop=("exp",)),
    "missing jti": lambda mint, key, claims: mint(drop=("jti",)),
    "unknown kid": lambda mint, key, claims: mint(key=SigningKey.generate()),
    "no kid": lambda mint, key, claims: jwt.encode(claims, key.private_key, algorithm="RS256"),
    "unknown subject": lambda mint, key, claims: mint(sub="no-such-user"),
    "garbage": lambda mint, key, claims: "not.a.jwt",
}


def _tamper(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["scope"] = "admin"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"{header}.{forged}.{signature}"


def _hs256_confusion(key: SigningKey, claims: dict[str, Any]) -> str:
    public_pem = key.public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = {"alg": "HS256", "typ": "JWT", "kid": key.kid}
    signing_input = _unsigned(claims, header)[:-1]
    mac = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + base64.urlsafe_b64encode(mac).decode().rstrip("=")


@pytest.mark.parametrize("variant", sorted(REFUSED))
def test_a_broken_token_is_refused_with_invalid_token(
    client: TestClient, mint: Mint, signing_key: SigningKey, claims: dict[str, Any], variant: str
) -> None:
    token = REFUSED[variant](mint, signing_key, claims)
    response = client.get("/v1/orders", headers=bearer(token))
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert 'error="invalid_token"' in response.headers["www-authenticate"]
    assert response.json()["status"] == 401


def test_expiry_follows_the_clock(client: TestClient, mint: Mint, clock: FakeClock) -> None:
    token = mint()
    clock.advance(299)
    assert _status(client, token)[0] == 200
    clock.advance(1)
    assert _status(client, token)[0] == 401


def test_no_token_is_401_with_a_bare_challenge(client: TestClient) -> None:
    response = client.get("/v1/orders")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer realm="shop"'
    assert response.json()["type"].startswith("https://")


def test_another_scheme_is_invalid_request(client: TestClient) -> None:
    response = client.get("/v1/orders", headers={"Authorization": "Basic Zm9vOmJhcg=="})
    assert response.status_code == 401
    assert 'error="invalid_request"' in response.headers["www-authenticate"]


def test_missing_scope_is_403_insufficient_scope(client: TestClient, mint: Mint) -> None:
    response = client.post("/v1/stock", headers=bearer(mint()))
    assert response.status_code == 403
    challenge = response.headers["www-authenticate"]
    assert 'error="insufficient_scope"' in challenge
    assert 'scope="inventory:write"' in challenge


def test_token_scopes_beyond_the_users_roles_are_not_honoured(
    client: TestClient, mint: Mint
) -> None:
    response = client.post("/v1/stock", headers=bearer(mint(scope="inventory:write")))
    assert response.status_code == 403


def test_disabled_user_token_is_refused(
    client: TestClient, mint: Mint, runtime: IdentityRuntime, ada_id: str
) -> None:
    token = mint()
    assert _status(client, token)[0] == 200
    runtime.accounts.set_disabled(ada_id, True)
    assert _status(client, token)[0] == 401
    runtime.accounts.set_disabled(ada_id, False)
    assert _status(client, token)[0] == 200


def test_deleted_user_token_is_refused(
    client: TestClient, mint: Mint, runtime: IdentityRuntime, ada_id: str
) -> None:
    token = mint()
    runtime.accounts.delete_user(ada_id)
    assert _status(client, token)[0] == 401


def test_demoted_user_loses_scopes_at_once(client: TestClient, runtime: IdentityRuntime) -> None:
    grace = runtime.accounts.user_by_email("grace@example.com")
    assert grace is not None
    token = password_grant(client, "grace@example.com").json()["access_token"]
    assert client.post("/v1/stock", headers=bearer(token)).status_code == 200
    runtime.accounts.set_roles(grace.id, ["customer"])
    assert client.post("/v1/stock", headers=bearer(token)).status_code == 403


def test_rotated_keys_keep_verifying_until_retired(
    client: TestClient, mint: Mint, runtime: IdentityRuntime, signing_key: SigningKey
) -> None:
    old_token = mint()
    new_key = runtime.keys.rotate()
    kids = [k["kid"] for k in client.get("/.well-known/jwks.json").json()["keys"]]
    assert kids == [new_key.kid, signing_key.kid]
    fresh = password_grant(client).json()["access_token"]
    assert jwt.get_unverified_header(fresh)["kid"] == new_key.kid
    assert _status(client, old_token)[0] == 200
    assert _status(client, fresh)[0] == 200
    runtime.keys.retire(signing_key.kid)
    assert _status(client, old_token)[0] == 401
    assert _status(client, fresh)[0] == 200
