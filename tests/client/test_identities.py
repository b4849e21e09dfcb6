"""Identities: every credential kind, OAuth2 logins, refresh on expiry, re-login on 401."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Annotated, Any

import pytest
from fastapi import FastAPI, Form, Header, HTTPException, Response

from assay.client import APITestClient, Identity
from assay.errors import AssayError


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


class TokenServer:
    """An OAuth2 server whose tokens live 60 s and can be revoked."""

    def __init__(self) -> None:
        self.valid: set[str] = set()
        self.refresh: dict[str, str] = {}
        self.grants: list[str] = []
        self.accepting = True
        self.limited = 0
        self._ids = itertools.count(1)
        self.app = self._build()

    def issue(self) -> dict[str, Any]:
        number = next(self._ids)
        token, refresh = f"tok-{number}", f"ref-{number}"
        self.valid.add(token)
        self.refresh[refresh] = token
        return {
            "access_token": token,
            "token_type": "bearer",
            "expires_in": 60,
            "refresh_token": refresh,
        }

    def _build(self) -> FastAPI:
        app = FastAPI()

        @app.post("/token")
        def token(
            grant_type: Annotated[str, Form()],
            username: Annotated[str | None, Form()] = None,
            password: Annotated[str | None, Form()] = None,
            refresh_token: Annotated[str | None, Form()] = None,
            authorization: Annotated[str | None, Header()] = None,
        ) -> dict[str, Any]:
            self.grants.append(grant_type)
            if self.limited:
                self.limited -= 1
                raise HTTPException(429, "slow down", headers={"Retry-After": "7"})
            if grant_type == "password" and (username, password) != ("ana", "s3cret"):
                raise HTTPException(400, "invalid_grant")
            if grant_type == "client_credentials" and authorization is None:
                raise HTTPException(401, "invalid_client")
            if grant_type == "refresh_token" and refresh_token not in self.refresh:
                raise HTTPException(400, "invalid_grant")
            return self.issue()

        @app.get("/me")
        def me(authorization: Annotated[str | None, Header()] = None) -> dict[str, str]:
            token = (authorization or "").removeprefix("Bearer ")
            if token not in self.valid or not self.accepting:
                raise HTTPException(401, "invalid token")
            return {"token": token}

        @app.post("/session")
        def session(response: Response, username: Annotated[str, Form()]) -> dict[str, str]:
            response.set_cookie("sid", f"session-of-{username}")
            return {"ok": username}

        return app


@pytest.fixture
def server() -> TokenServer:
    return TokenServer()


@pytest.fixture
def api(server: TokenServer) -> Iterator[APITestClient]:
    with APITestClient(server.app, spec=None) as client:
        yield client


def test_password_login_happens_on_first_use(api: APITestClient, server: TokenServer) -> None:
    ana = Identity.oauth2_password("ana", "/token", "ana", "s3cret")
    me = api.as_identity(ana)
    assert me.get("/me").json() == {"token": "tok-1"}
    assert me.get("/me").json() == {"token": "tok-1"}
    assert server.grants == ["password"]


def test_refresh_before_expiry_uses_the_refresh_token(
    api: APITestClient, server: TokenServer
) -> None:
    clock = Clock()
    ana = Identity.oauth2_password("ana", "/token", "ana", "s3cret", clock=clock)
    me = api.as_identity(ana)
    me.get("/me").expect.status(200)
    clock.now += 59  # inside the refresh margin (10% of a 60 s lifetime)
    assert me.get("/me").json() == {"token": "tok-2"}
    assert server.grants == ["password", "refresh_token"]
    state = ana.token_state
    assert state is not None
    assert (state.logins, state.refreshes) == (1, 1)


def test_revoked_token_leads_to_one_new_login(api: APITestClient, server: TokenServer) -> None:
    ana = Identity.oauth2_password("ana", "/token", "ana", "s3cret")
    me = api.as_identity(ana)
    me.get("/me").expect.status(200)
    server.valid.clear()
    server.refresh.clear()
    assert me.get("/me").json() == {"token": "tok-2"}
    assert server.grants == ["password", "password"]


def test_a_401_to_a_token_never_accepted_does_not_storm_the_token_endpoint(
    api: APITestClient, server: TokenServer
) -> None:
    ana = Identity.oauth2_password("ana", "/token", "ana", "s3cret")
    me = api.as_identity(ana)
    server.accepting = False
    for _ in range(5):
        me.get("/me").expect.status(401)
    assert server.grants == ["password"]


def test_after_a_failed_relogin_no_further_logins(api: APITestClient, server: TokenServer) -> None:
    ana = Identity.oauth2_password("ana", "/token", "ana", "s3cret")
    me = api.as_identity(ana)
    me.get("/me").expect.status(200)
    server.accepting = False
    for _ in range(4):
        me.get("/me").expect.status(401)
    assert server.grants == ["password", "password"]


def test_a_rate_limited_login_waits_as_asked(api: APITestClient, server: TokenServer) -> None:
    ana = Identity.oauth2_password("ana", "/token", "ana", "s3cret")
    waits: list[float] = []
    ana.auth.sleep = waits.append  # type: ignore[union-attr]
    server.limited = 2
    assert api.as_identity(ana).get("/me").json() == {"token": "tok-1"}
    assert waits == [7.0, 7.0]


def test_a_login_rate_limited_too_long_is_a_clear_error(
    api: APITestClient, server: TokenServer
) -> None:
    ana = Identity.oauth2_password("ana", "/token", "ana", "s3cret")
    waits: list[float] = []
    ana.auth.sleep = waits.append  # type: ignore[union-attr]
    ana.auth.max_wait = 10  # type: ignore[union-attr]
    server.limited = 5
    with pytest.raises(
        AssayError, match="could not get a token from /token: the server answered 429"
    ):
        api.as_identity(ana).get("/me")
    assert waits == [7.0, 3.0]


def test_a_disposable_copy_has_its_own_session(api: APITestClient, server: TokenServer) -> None:
    ana = Identity.oauth2_password("ana", "/token", "ana", "s3cret", roles=["customer"])
    assert api.as_identity(ana).get("/me").json() == {"token": "tok-1"}
    copy = ana.disposable()
    assert copy is not None
    assert (copy.name, copy.roles) == ("ana~disposable", frozenset({"customer"}))
    assert api.as_identity(copy).get("/me").json() == {"token": "tok-2"}
    server.valid.discard("tok-2")  # the copy logs out
    assert api.as_identity(ana).get("/me").json() == {"token": "tok-1"}
    assert Identity.bearer("ben", "t").disposable() is None


def test_wrong_password_is_a_clear_error(api: APITestClient) -> None:
    bad = Identity.oauth2_password("ana", "/token", "ana", "wrong")
    with pytest.raises(
        AssayError,
        match=r"identity 'ana' could not get a token from /token: "
        r"the server answered 400",
    ):
        api.as_identity(bad).get("/me")


def test_client_credentials_send_basic_client_auth(api: APITestClient, server: TokenServer) -> None:
    service = Identity.oauth2_client_credentials("svc", "/token", "svc", "secret", scopes=["a"])
    assert api.as_identity(service).get("/me").json() == {"token": "tok-1"}
    assert server.grants == ["client_credentials"]


def test_registered_identities_by_name(server: TokenServer) -> None:
    ana = Identity.oauth2_password("ana", "/token", "ana", "s3cret", roles={"customer"})
    with APITestClient(server.app, spec=None, identities=[ana]) as client:
        client.as_identity("ana").get("/me").expect.status(200)
        assert client.identities["ana"].roles == frozenset({"customer"})
        assert client.last_exchange is not None
        assert client.last_exchange.identity == "ana"


def test_cookie_login_posts_credentials_then_sends_cookies(api: APITestClient) -> None:
    staff = Identity.cookie_login("staff", "/session", "sam", "pw")
    echoed = api.as_identity(staff).get("/me")
    assert echoed.status_code == 401  # /me wants a bearer token: the cookie went along
    assert echoed.request.headers["cookie"] == "sid=session-of-sam"


@pytest.mark.parametrize(
    ("identity", "expected"),
    [
        (Identity.bearer("b", "abc"), {"authorization": "Bearer abc"}),
        (Identity.api_key("k", "key-1"), {"api_key": "key-1"}),
        (
            Identity.api_key("q", "key-2", parameter="api_key", location="query"),
            {"query": {"api_key": "key-2"}},
        ),
        (
            Identity.api_key("c", "key-3", parameter="token", location="cookie"),
            {"cookies": {"token": "key-3"}},
        ),
        (Identity.basic("u", "ana", "pw"), {"authorization": "Basic YW5hOnB3"}),
        (Identity.cookie("s", {"session": "xyz"}), {"session": "xyz"}),
    ],
)
def test_static_credentials(identity: Identity, expected: dict[str, Any]) -> None:
    from tests.client.notes_app import make_app

    with APITestClient(make_app(), spec=None) as client:
        echoed = client.as_identity(identity).get("/echo/headers").json()
    for key, value in expected.items():
        assert echoed[key] == value


def test_basic_identity_is_accepted_by_fastapi_http_basic() -> None:
    from tests.client.notes_app import make_app

    with APITestClient(make_app(), spec=None) as client:
        client.as_identity(Identity.basic("u", "ana", "pw")).get("/whoami").expect.json_path(
            "$.user", "ana"
        )
        client.get("/whoami").expect.status(401)


@pytest.mark.parametrize(
    ("challenge", "relogin"),
    [
        ('Bearer error="invalid_token"', True),
        ("Bearer", True),
        ('Bearer realm="x", error="invalid_request"', False),
        ('Bearer error="insufficient_scope", scope="admin"', False),
    ],
)
def test_only_a_refused_token_leads_to_a_new_login(challenge: str, relogin: bool) -> None:
    import httpx2

    from assay.client.identities import _token_refused

    response = httpx2.Response(401, headers={"WWW-Authenticate": challenge})
    assert _token_refused(response) is relogin


def test_requests_sent_together_share_one_login(api: APITestClient, server: TokenServer) -> None:
    from assay.client.messages import APITestRequest

    ana = Identity.oauth2_password("ana", "/token", "ana", "s3cret")
    answers = api.send_together([APITestRequest("GET", "/me", identity=ana)] * 5)
    assert [a.json() for a in answers] == [{"token": "tok-1"}] * 5
    assert server.grants == ["password"]


def test_requests_sent_together_with_a_revoked_token_log_in_again_once(
    api: APITestClient, server: TokenServer
) -> None:
    from assay.client.messages import APITestRequest

    ana = Identity.oauth2_password("ana", "/token", "ana", "s3cret")
    api.as_identity(ana).get("/me").expect.status(200)
    server.valid.clear()
    server.refresh.clear()
    answers = api.send_together([APITestRequest("GET", "/me", identity=ana)] * 5)
    assert [a.json() for a in answers] == [{"token": "tok-2"}] * 5
    assert server.grants == ["password", "password"]


def test_cookie_logins_sent_together_log_in_once(api: APITestClient) -> None:
    from assay.client.messages import APITestRequest

    staff = Identity.cookie_login("staff", "/session", "sam", "pw")
    answers = api.send_together([APITestRequest("GET", "/me", identity=staff)] * 4)
    assert {a.request.headers["cookie"] for a in answers} == {"sid=session-of-sam"}
    logins = [e for e in api.exchanges if e.request.url.path == "/session"]
    assert len(logins) == 1
