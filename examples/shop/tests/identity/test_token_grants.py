"""POST /v1/token: the password and client_credentials grants, scopes, JWKS."""

from __future__ import annotations

import base64
from typing import Any

import jwt
import pytest
from starlette.testclient import TestClient

from shop.identity import IdentitySettings

from .identity_app import CLIENT_SECRET, PASSWORD, bearer, password_grant


def _jwks_key(client: TestClient, kid: str) -> Any:
    keys = client.get("/.well-known/jwks.json").json()["keys"]
    return jwt.PyJWK(next(k for k in keys if k["kid"] == kid))


def test_password_grant_issues_an_rs256_token_verifiable_with_the_jwks(
    client: TestClient, settings: IdentitySettings
) -> None:
    response = password_grant(client)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == settings.access_token_ttl
    assert body["refresh_token"]
    header = jwt.get_unverified_header(body["access_token"])
    assert header["alg"] == "RS256"
    claims = jwt.decode(
        body["access_token"],
        _jwks_key(client, header["kid"]),
        algorithms=["RS256"],
        audience=settings.audience,
        issuer=settings.issuer,
    )
    assert {"iss", "aud", "sub", "exp", "nbf", "iat", "jti", "scope", "roles"} <= set(claims)
    assert claims["roles"] == ["customer"]
    assert claims["sub"] != "ada@example.com"  # an opaque id, no personal data
    assert set(claims["scope"].split()) == set(body["scope"].split())


def test_jwks_publishes_public_members_only(client: TestClient) -> None:
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    (key,) = response.json()["keys"]
    assert set(key) == {"kty", "use", "alg", "kid", "n", "e"}
    assert "public" in response.headers["cache-control"]


def test_customer_gets_the_customer_scopes(client: TestClient) -> None:
    scope = set(password_grant(client).json()["scope"].split())
    assert scope == {"orders:read", "orders:write", "payments:read", "inventory:read"}


def test_granted_scopes_are_the_intersection_of_asked_and_held(client: TestClient) -> None:
    response = password_grant(client, scope="orders:read inventory:write admin")
    assert response.status_code == 200
    assert response.json()["scope"] == "orders:read"
    token = response.json()["access_token"]
    assert client.get("/v1/orders", headers=bearer(token)).status_code == 200
    refused = client.post("/v1/stock", headers=bearer(token))
    assert refused.status_code == 403


def test_asking_only_for_scopes_not_held_is_invalid_scope(client: TestClient) -> None:
    response = password_grant(client, scope="admin")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"


def test_staff_get_write_scopes(client: TestClient) -> None:
    token = password_grant(client, "grace@example.com").json()["access_token"]
    assert client.post("/v1/stock", headers=bearer(token)).status_code == 200


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("ada@example.com", "wrong password"),
        ("nobody@example.com", PASSWORD),
        ("gone@example.com", PASSWORD),
    ],
)
def test_bad_credentials_are_refused_as_invalid_grant(
    client: TestClient, email: str, password: str
) -> None:
    response = password_grant(client, email, password)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["error"] == "invalid_grant"


def test_email_is_case_insensitive(client: TestClient) -> None:
    assert password_grant(client, " Ada@Example.COM ").status_code == 200


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({}, "invalid_request"),
        ({"grant_type": "implicit"}, "unsupported_grant_type"),
        ({"grant_type": "password", "username": "ada@example.com"}, "invalid_request"),
        ({"grant_type": "refresh_token"}, "invalid_request"),
    ],
)
def test_malformed_token_requests_are_400_problems(
    client: TestClient, data: dict[str, str], error: str
) -> None:
    response = client.post("/v1/token", data=data)
    assert response.status_code == 400
    problem = response.json()
    assert problem["error"] == error
    assert {"type", "title", "status", "detail", "instance"} <= set(problem)
    assert problem["instance"] == "/v1/token"


def test_oversized_fields_are_422_problems_with_pointers(client: TestClient) -> None:
    response = password_grant(client, "a" * 400 + "@example.com")
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["errors"][0]["pointer"] == "#/username"
    assert "aaaa" not in response.text  # input is never echoed


def _client_grant(client: TestClient, **data: str) -> Any:
    return client.post("/v1/token", data={"grant_type": "client_credentials", **data})


def test_client_credentials_in_the_form(client: TestClient) -> None:
    response = _client_grant(client, client_id="reporting", client_secret=CLIENT_SECRET)
    assert response.status_code == 200
    body = response.json()
    assert "refresh_token" not in body
    assert body["scope"] == "inventory:read orders:read"
    principal = client.get("/v1/orders", headers=bearer(body["access_token"])).json()
    assert principal["kind"] == "service"
    assert principal["client_id"] == "reporting"


def test_client_credentials_with_http_basic_and_scope_intersection(client: TestClient) -> None:
    basic = base64.b64encode(f"reporting:{CLIENT_SECRET}".encode()).decode()
    response = client.post(
        "/v1/token",
        data={"grant_type": "client_credentials", "scope": "inventory:read payments:write"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert response.status_code == 200
    assert response.json()["scope"] == "inventory:read"


@pytest.mark.parametrize(
    "data",
    [
        {"client_id": "reporting", "client_secret": "wrong"},
        {"client_id": "unknown", "client_secret": CLIENT_SECRET},
        {},
    ],
)
def test_bad_client_credentials_are_401_invalid_client(
    client: TestClient, data: dict[str, str]
) -> None:
    response = _client_grant(client, **data)
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert response.headers["www-authenticate"].startswith("Basic ")
