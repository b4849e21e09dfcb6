"""Refresh-token rotation, reuse detection, RFC 7009 revocation and logout."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from shop.identity import IdentityRuntime

from .identity_app import FakeClock, bearer, password_grant


def _refresh(client: TestClient, token: str, **extra: str) -> Any:
    return client.post(
        "/v1/token", data={"grant_type": "refresh_token", "refresh_token": token, **extra}
    )


def test_a_refresh_token_is_rotated_on_every_use(
    client: TestClient, tokens: dict[str, Any]
) -> None:
    first = _refresh(client, tokens["refresh_token"])
    assert first.status_code == 200
    assert first.headers["cache-control"] == "no-store"
    rotated = first.json()
    assert rotated["refresh_token"] != tokens["refresh_token"]
    assert client.get("/v1/orders", headers=bearer(rotated["access_token"])).status_code == 200
    second = _refresh(client, rotated["refresh_token"])
    assert second.status_code == 200


def test_refresh_can_narrow_but_never_widen_scopes(
    client: TestClient, tokens: dict[str, Any]
) -> None:
    narrowed = _refresh(client, tokens["refresh_token"], scope="orders:read admin")
    assert narrowed.json()["scope"] == "orders:read"


def test_reusing_a_rotated_token_revokes_the_whole_family(
    client: TestClient, tokens: dict[str, Any]
) -> None:
    rotated = _refresh(client, tokens["refresh_token"]).json()
    reuse = _refresh(client, tokens["refresh_token"])
    assert reuse.status_code == 400
    assert reuse.json()["error"] == "invalid_grant"
    assert _refresh(client, rotated["refresh_token"]).status_code == 400
    for access in (tokens["access_token"], rotated["access_token"]):
        assert client.get("/v1/orders", headers=bearer(access)).status_code == 401


def test_another_login_is_not_affected_by_a_revoked_family(
    client: TestClient, tokens: dict[str, Any]
) -> None:
    other = password_grant(client).json()
    _refresh(client, tokens["refresh_token"])
    _refresh(client, tokens["refresh_token"])
    assert _refresh(client, other["refresh_token"]).status_code == 200


def test_unknown_and_expired_refresh_tokens_are_refused(
    client: TestClient, tokens: dict[str, Any], clock: FakeClock, runtime: IdentityRuntime
) -> None:
    assert _refresh(client, "made-up").status_code == 400
    clock.advance(runtime.settings.refresh_token_ttl)
    assert _refresh(client, tokens["refresh_token"]).status_code == 400


def test_a_disabled_user_cannot_refresh(
    client: TestClient, tokens: dict[str, Any], runtime: IdentityRuntime
) -> None:
    user = runtime.accounts.user_by_email("ada@example.com")
    assert user is not None
    runtime.accounts.set_disabled(user.id, True)
    assert _refresh(client, tokens["refresh_token"]).status_code == 400


def test_revoking_a_refresh_token_ends_its_family(
    client: TestClient, tokens: dict[str, Any]
) -> None:
    response = client.post("/v1/token/revoke", data={"token": tokens["refresh_token"]})
    assert response.status_code == 200
    assert _refresh(client, tokens["refresh_token"]).status_code == 400
    assert client.get("/v1/orders", headers=bearer(tokens["access_token"])).status_code == 401


def test_revoking_an_access_token_refuses_it(client: TestClient, tokens: dict[str, Any]) -> None:
    assert client.get("/v1/orders", headers=bearer(tokens["access_token"])).status_code == 200
    response = client.post(
        "/v1/token/revoke",
        data={"token": tokens["access_token"], "token_type_hint": "access_token"},
    )
    assert response.status_code == 200
    refused = client.get("/v1/orders", headers=bearer(tokens["access_token"]))
    assert refused.status_code == 401
    assert "revoked" in refused.json()["detail"]
    assert _refresh(client, tokens["refresh_token"]).status_code == 200


def test_revoking_an_unknown_token_answers_200(client: TestClient) -> None:
    assert client.post("/v1/token/revoke", data={"token": "nothing"}).status_code == 200


def test_revocation_with_bad_client_credentials_is_401(
    client: TestClient, tokens: dict[str, Any]
) -> None:
    response = client.post(
        "/v1/token/revoke",
        data={"token": tokens["refresh_token"], "client_id": "reporting", "client_secret": "x"},
    )
    assert response.status_code == 401
    assert _refresh(client, tokens["refresh_token"]).status_code == 200


def test_logout_revokes_the_access_token_and_the_refresh_family(
    client: TestClient, tokens: dict[str, Any]
) -> None:
    response = client.post("/v1/logout", headers=bearer(tokens["access_token"]))
    assert response.status_code == 204
    assert client.get("/v1/orders", headers=bearer(tokens["access_token"])).status_code == 401
    assert _refresh(client, tokens["refresh_token"]).status_code == 400


def test_logout_needs_a_valid_token(client: TestClient) -> None:
    assert client.post("/v1/logout").status_code == 401
    assert client.post("/v1/logout", headers=bearer("nope")).status_code == 401
