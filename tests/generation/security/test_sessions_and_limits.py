"""The session and rate-limit probes end to end: the waits they take, and what they find."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from tests.corpus.apps._security import (
    KNOWN_USER,
    LoginGuard,
    Problem,
    harden,
    token_app,
    token_identity,
)
from tests.corpus.apps._sessions import SETTINGS as SESSION_SETTINGS
from tests.corpus.apps._sessions import SessionFlaws, session_app

from assay.config import SecurityConfig
from assay.engine import RunSettings, run_engine


def _found(app: object, **settings: object) -> set[tuple[str, str | None]]:
    result = run_engine(app, settings=RunSettings(seed=1, phases=("security",), **settings))  # type: ignore[arg-type]
    assert not result.internal_errors
    return {(f.check, f.operation) for f in result.findings}


def test_a_limit_that_outlives_its_retry_after_is_found() -> None:
    stuck = token_app("identity", guard=LoginGuard(announce=1))
    assert ("rate_limit_never_lifts", "POST /token") in _found(
        stuck, identities=(token_identity(),)
    )


def test_a_limit_that_lifts_as_announced_is_fine() -> None:
    lifting = token_app("identity", guard=LoginGuard(window=1.0))
    assert _found(lifting, identities=(token_identity(),)) == set()


def test_an_idle_timeout_that_is_not_enforced_is_found() -> None:
    idle = SecurityConfig(session_idle_timeout=1.0)
    identities = SESSION_SETTINGS["identities"]
    forever = session_app("console", SessionFlaws())
    assert _found(forever, identities=identities, security=idle) == {
        ("session_expiry_not_enforced", "GET /me")
    }
    enforced = session_app("console", SessionFlaws(idle=1.0))
    assert _found(enforced, identities=identities, security=idle) == set()


def test_no_identity_that_logs_in_means_no_session_or_credential_probe() -> None:
    app = token_app("identity", guard=None)
    # Without identities the token endpoint is still found by its name and burst.
    assert _found(app) == {("missing_rate_limit", "POST /token")}


def _search_app(*, limited: bool) -> FastAPI:
    app = FastAPI()
    harden(app)
    guard = LoginGuard(limit=10)

    @app.get("/search", responses={429: {"model": Problem}})
    def search(q: str = "lamp") -> JSONResponse:
        headers = guard.admit("client") if limited else {}
        if limited:
            guard.failed("client")  # every search counts
        return JSONResponse({"results": []}, headers=headers)

    return app


def test_configured_operations_must_push_back_on_a_burst() -> None:
    config = SecurityConfig(rate_limited=["GET /search"], burst=15)
    found = _found(_search_app(limited=False), security=config)
    assert found == {("missing_rate_limit", "GET /search")}
    assert _found(_search_app(limited=True), security=config) == set()
    assert _found(_search_app(limited=False)) == set()  # not configured: not probed


class ResetRequest(BaseModel):
    email: str


def _reset_app(*, tells: bool) -> FastAPI:
    app = token_app("identity", guard=LoginGuard())
    guard = LoginGuard()
    answers = {202: {"model": Problem}, 404: {"model": Problem}, 429: {"model": Problem}}

    @app.post("/password-reset", status_code=202, responses=answers)
    def reset(body: ResetRequest) -> JSONResponse:
        headers = guard.admit(body.email)
        guard.failed(body.email)  # every reset request counts
        if tells and body.email != KNOWN_USER:
            return JSONResponse({"detail": "no such account"}, 404, headers=headers)
        sent = "if the account exists, we sent an e-mail"
        return JSONResponse({"detail": sent}, 202, headers=headers)

    return app


def test_a_password_reset_that_tells_who_has_an_account() -> None:
    identities = (token_identity(),)
    assert ("user_enumeration", "POST /password-reset") in _found(
        _reset_app(tells=True), identities=identities
    )
    assert _found(_reset_app(tells=False), identities=identities) == set()
