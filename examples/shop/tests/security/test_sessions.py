"""Staff console sessions: cookie flags, a new id at every sign-in, logout on the server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assay import APITestClient, APITestResponse, Identity
from assay.engine import RunSettings, run_engine
from shop.bootstrap import create_app
from shop.platform.settings import ShopSettings

COOKIE = "__Host-shop-console"
STAFF = {"email": "staff@example.com", "password": "shop-demo-password"}
SESSION_CHECKS = (
    "session_cookie_flags",
    "session_fixation",
    "session_survives_logout",
    "session_expiry_not_enforced",
)


@pytest.fixture
def console() -> Iterator[APITestClient]:
    """A shop of its own, so these sign-ins do not count against another test's limit."""
    with APITestClient(create_app(ShopSettings(password_cost=4, log_json=False))) as client:
        yield client


def _sign_in(client: APITestClient, planted: str | None = None) -> APITestResponse:
    cookies = {COOKIE: planted} if planted else None
    response = client.post("/v1/console/login", data=STAFF, cookies=cookies, validate=False)
    response.expect.status(200)
    return response


def _me(client: APITestClient, session: str) -> APITestResponse:
    return client.get("/v1/console/me", cookies={COOKIE: session}, validate=False)


def test_the_session_cookie_is_locked_down(console: APITestClient) -> None:
    set_cookie = _sign_in(console).headers["set-cookie"]
    attributes = {part.strip().split("=")[0].lower() for part in set_cookie.split(";")}
    assert set_cookie.startswith(f"{COOKIE}=")
    assert {"httponly", "secure", "samesite", "path"} <= attributes
    assert "samesite=strict" in set_cookie.lower()
    assert "domain" not in attributes


def test_every_sign_in_issues_a_new_session_id(console: APITestClient) -> None:
    first = _sign_in(console).cookies[COOKIE]
    second = _sign_in(console, planted=first).cookies[COOKIE]
    assert second != first
    _me(console, second).expect.status(200)
    _me(console, first).expect.status(401)  # the id the browser sent stopped working


def test_a_planted_session_id_is_never_adopted(console: APITestClient) -> None:
    issued = _sign_in(console, planted="planted-by-an-attacker").cookies[COOKIE]
    assert issued != "planted-by-an-attacker"
    _me(console, "planted-by-an-attacker").expect.status(401)


def test_logout_ends_the_session_on_the_server(console: APITestClient) -> None:
    signed_in = _sign_in(console)
    session, csrf = signed_in.cookies[COOKIE], signed_in.json()["csrf_token"]
    cookies = {COOKIE: session}
    console.post("/v1/console/logout", cookies=cookies, validate=False).expect.status(403)
    _me(console, session).expect.status(200)  # no CSRF token: not logged out
    headers = {"X-CSRF-Token": csrf}
    logout = console.post("/v1/console/logout", cookies=cookies, headers=headers)
    logout.expect.status(204)
    _me(console, session).expect.status(401)  # a copy of the old cookie is worthless


def test_assay_session_probe_finds_nothing_on_the_console() -> None:
    staff = Identity.cookie_login(
        "console",
        "/v1/console/login",
        STAFF["email"],
        STAFF["password"],
        username_field="email",
    )
    settings = RunSettings(
        seed=1,
        phases=("security",),
        checks=SESSION_CHECKS,
        operations=("POST /v1/console/login", "POST /v1/console/logout", "GET /v1/console/me"),
        identities=(staff,),
    )
    result = run_engine(
        create_app(ShopSettings(password_cost=4, log_json=False)), settings=settings
    )
    assert not result.internal_errors
    assert result.findings == []
    assert result.coverage["GET /v1/console/me"]["statuses"]["200"] >= 1  # the session worked
