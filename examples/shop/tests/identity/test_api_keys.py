"""Service-to-service authentication with X-API-Key."""

from __future__ import annotations

from starlette.testclient import TestClient

from shop.identity import IdentityRuntime
from shop.identity.passwords import fingerprint
from shop.identity.tables import ApiKeyRow

from .identity_app import SERVICE_KEY


def test_a_valid_key_yields_a_service_principal(client: TestClient) -> None:
    response = client.get("/internal/stock", headers={"X-API-Key": SERVICE_KEY})
    assert response.status_code == 200
    assert response.json() == {
        "subject": "allocation",
        "kind": "service",
        "scopes": ["inventory:read"],
        "roles": [],
        "client_id": "allocation",
    }


def test_missing_and_wrong_keys_are_401(client: TestClient) -> None:
    missing = client.get("/internal/stock")
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"].startswith("ApiKey ")
    wrong = client.get("/internal/stock", headers={"X-API-Key": SERVICE_KEY[:-1] + "X"})
    assert wrong.status_code == 401


def test_a_key_without_the_scope_is_403(client: TestClient) -> None:
    response = client.post("/internal/stock", headers={"X-API-Key": SERVICE_KEY})
    assert response.status_code == 403


def test_keys_are_stored_hashed_with_a_lookup_prefix(runtime: IdentityRuntime) -> None:
    with runtime.sessions() as session:
        row = session.get(ApiKeyRow, fingerprint(SERVICE_KEY))
        assert row is not None
        assert row.prefix == SERVICE_KEY[:12]
        assert SERVICE_KEY not in (row.key_hash, row.scopes, row.service)


def test_a_created_key_works_and_a_revoked_one_does_not(
    client: TestClient, runtime: IdentityRuntime
) -> None:
    key = runtime.accounts.create_api_key("payments", ["inventory:write"])
    assert client.post("/internal/stock", headers={"X-API-Key": key}).status_code == 200
    runtime.accounts.revoke_api_key(key)
    assert client.post("/internal/stock", headers={"X-API-Key": key}).status_code == 401


def test_a_bearer_token_does_not_open_a_service_operation(client: TestClient) -> None:
    response = client.get("/internal/stock", headers={"Authorization": "Bearer x"})
    assert response.status_code == 401
