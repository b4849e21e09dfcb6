"""The engine never logs its own identities out (DESIGN principle 15)."""

import itertools
from typing import Annotated

from fastapi import Depends, FastAPI, Form, HTTPException
from fastapi.security import OAuth2PasswordBearer

from assay.client import APITestClient, Identity
from assay.engine import Engine, RunSettings
from assay.engine.runner import ends_session
from assay.generation.cases import Case

oauth2 = OAuth2PasswordBearer("/token")
Token = Annotated[str, Depends(oauth2)]


class Sessions:
    def __init__(self) -> None:
        self.valid: set[str] = set()
        self.logins = 0
        self.ids = itertools.count(1)


def make_app(sessions: Sessions) -> FastAPI:
    app = FastAPI()

    @app.post("/token", operation_id="login")
    def login(username: Annotated[str, Form()], password: Annotated[str, Form()]) -> dict[str, str]:
        sessions.logins += 1
        token = f"t{next(sessions.ids)}"
        sessions.valid.add(token)
        return {"access_token": token, "token_type": "bearer"}

    def current(token: Token) -> str:
        if token not in sessions.valid:
            raise HTTPException(401, "invalid token", headers={"WWW-Authenticate": "Bearer"})
        return token

    @app.get("/me", operation_id="me")
    def me(token: Annotated[str, Depends(current)]) -> dict[str, str]:
        return {"token": token}

    @app.post("/logout", operation_id="logout", status_code=204)
    def logout(token: Annotated[str, Depends(current)]) -> None:
        sessions.valid.discard(token)

    return app


def test_logout_cases_use_disposable_sessions_and_are_bounded() -> None:
    sessions = Sessions()
    ana = Identity.oauth2_password("ana", "/token", "ana", "pw")
    with APITestClient(make_app(sessions), identities=[ana], validate=False) as client:
        engine = Engine(client, RunSettings(phases=(), checks=("server_error",)), target="app")
        engine.log_in()
        logout = client.spec.operation("logout")
        sent = [engine.execute(Case(logout, phase="boundary")).exchange for _ in range(5)]
        assert [e.status for e in sent if e is not None] == [204, 204, 204]
        assert sent[3:] == [None, None]
        me = engine.execute(Case(client.spec.operation("me"), phase="boundary")).exchange
        assert me is not None
        assert me.response.json() == {"token": "t1"}  # ana's own session survived
        assert sessions.logins == 4
        assert engine.coverage["POST /logout"]["skipped"] == 2


def test_fixed_credentials_skip_session_ending_operations() -> None:
    sessions = Sessions()
    sessions.valid.add("static")
    ben = Identity.bearer("ben", "static")
    with APITestClient(make_app(sessions), identities=[ben], validate=False) as client:
        engine = Engine(client, RunSettings(phases=(), checks=("server_error",)), target="app")
        outcome = engine.execute(Case(client.spec.operation("logout"), phase="fuzz"))
        assert outcome.exchange is None
        assert "static" in sessions.valid


def test_session_ending_operations_are_recognised() -> None:
    with APITestClient(make_app(Sessions()), validate=False) as client:
        spec = client.spec
        assert [op.operation_id for op in spec.operations if ends_session(op)] == ["logout"]


def test_the_fuzz_phase_leaves_session_ending_operations_alone() -> None:
    sessions = Sessions()
    ana = Identity.oauth2_password("ana", "/token", "ana", "pw")
    with APITestClient(make_app(sessions), identities=[ana], validate=False) as client:
        engine = Engine(client, RunSettings(phases=(), checks=("server_error",)), target="app")
        engine.log_in()
        outcome = engine.execute(Case(client.spec.operation("logout"), phase="fuzz"))
        assert outcome.exchange is None
        assert sessions.logins == 1
