"""Staff console: cookie attributes, rotation, logout, idle/absolute expiry, CSRF."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from shop.identity import CONSOLE_COOKIE, IdentityRuntime

from .identity_app import PASSWORD, FakeClock, bearer


def _login(client: TestClient, email: str = "grace@example.com", *, form: bool = False) -> Any:
    credentials = {"email": email, "password": PASSWORD}
    if form:
        return client.post("/v1/console/login", data=credentials)
    return client.post("/v1/console/login", json=credentials)


def _use_cookie(client: TestClient, session_id: str) -> None:
    client.cookies.clear()
    client.cookies.set(CONSOLE_COOKIE, session_id)


@pytest.fixture
def csrf(client: TestClient) -> str:
    response = _login(client)
    assert response.status_code == 200, response.text
    token: str = response.json()["csrf_token"]
    return token


def test_login_sets_a_hardened_session_cookie(client: TestClient) -> None:
    response = _login(client)
    assert response.status_code == 200
    cookie = response.headers["set-cookie"]
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert cookie.startswith(f"{CONSOLE_COOKIE}=")
    assert {"httponly", "secure", "path", "samesite", "max-age"} <= attributes
    assert "samesite=strict" in cookie.lower()
    assert "path=/" in cookie.lower()
    assert "domain" not in attributes
    body = response.json()
    assert body["roles"] == ["staff"]
    assert "inventory:write" in body["scope"].split()
    assert response.headers["cache-control"] == "no-store"


def test_login_accepts_a_form_too(client: TestClient) -> None:
    assert _login(client, form=True).status_code == 200


def test_login_refuses_other_media_types(client: TestClient) -> None:
    headers = {"content-type": "text/plain"}
    response = client.post("/v1/console/login", content=b"x", headers=headers)
    assert response.status_code == 415
    assert response.headers["content-type"] == "application/problem+json"


def test_login_refuses_malformed_bodies(client: TestClient) -> None:
    bad_json = client.post(
        "/v1/console/login", content=b"{", headers={"content-type": "application/json"}
    )
    assert bad_json.status_code == 400
    missing = client.post("/v1/console/login", json={"email": "grace@example.com"})
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["pointer"] == "#/password"


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("ada@example.com", PASSWORD),  # a customer
        ("grace@example.com", "wrong"),
        ("nobody@example.com", PASSWORD),
        ("gone@example.com", PASSWORD),
    ],
)
def test_only_active_staff_with_the_right_password_sign_in(
    client: TestClient, email: str, password: str
) -> None:
    response = client.post("/v1/console/login", json={"email": email, "password": password})
    assert response.status_code == 401
    assert "set-cookie" not in response.headers
    assert response.json()["detail"] == "The email or password is incorrect."


def test_me_shows_the_session(client: TestClient, csrf: str) -> None:
    response = client.get("/v1/console/me")
    assert response.status_code == 200
    assert response.json()["csrf_token"] == csrf
    assert client.get("/v1/whoami").json()["kind"] == "console"


def test_me_without_a_session_is_401(client: TestClient) -> None:
    assert client.get("/v1/console/me").status_code == 401
    _use_cookie(client, "forged")
    assert client.get("/v1/console/me").status_code == 401


def test_the_session_id_is_rotated_at_login(client: TestClient) -> None:
    _login(client)
    first = client.cookies[CONSOLE_COOKIE]
    _login(client)
    second = client.cookies[CONSOLE_COOKIE]
    assert first != second
    _use_cookie(client, first)
    assert client.get("/v1/console/me").status_code == 401


def test_logout_invalidates_the_session(client: TestClient, csrf: str) -> None:
    session_id = client.cookies[CONSOLE_COOKIE]
    response = client.post("/v1/console/logout", headers={"X-CSRF-Token": csrf})
    assert response.status_code == 204
    assert "max-age=0" in response.headers["set-cookie"].lower()
    _use_cookie(client, session_id)
    assert client.get("/v1/console/me").status_code == 401


def test_unsafe_requests_need_the_csrf_token(client: TestClient, csrf: str) -> None:
    assert client.post("/v1/stock").status_code == 403
    assert client.post("/v1/stock", headers={"X-CSRF-Token": "wrong"}).status_code == 403
    assert client.post("/v1/console/logout").status_code == 403
    accepted = client.post("/v1/stock", headers={"X-CSRF-Token": csrf})
    assert accepted.status_code == 200
    assert accepted.json()["kind"] == "console"


def test_a_console_session_gets_its_roles_scopes_only(
    client: TestClient, runtime: IdentityRuntime
) -> None:
    csrf = _login(client).json()["csrf_token"]
    grace = runtime.accounts.user_by_email("grace@example.com")
    assert grace is not None
    runtime.accounts.set_roles(grace.id, ["customer"])
    assert client.post("/v1/stock", headers={"X-CSRF-Token": csrf}).status_code == 403


def test_idle_expiry(client: TestClient, csrf: str, clock: FakeClock) -> None:
    idle = 15 * 60
    clock.advance(idle - 1)
    assert client.get("/v1/console/me").status_code == 200
    clock.advance(idle - 1)  # activity restarted the idle timer
    assert client.get("/v1/console/me").status_code == 200
    clock.advance(idle)
    assert client.get("/v1/console/me").status_code == 401


def test_absolute_expiry(client: TestClient, csrf: str, clock: FakeClock) -> None:
    for _ in range(8 * 4 - 1):  # busy for almost 8 hours
        clock.advance(15 * 60 - 1)
        assert client.get("/v1/console/me").status_code == 200
    clock.advance(15 * 60)
    assert client.get("/v1/console/me").status_code == 401


def test_a_bearer_token_wins_over_the_cookie(
    client: TestClient, csrf: str, tokens: dict[str, Any]
) -> None:
    response = client.get("/v1/whoami", headers=bearer(tokens["access_token"]))
    assert response.json()["kind"] == "user"
