"""`Engine.execute_together`: a group sent at once, then checked answer by answer."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import httpx2
from fastapi import FastAPI, HTTPException

from assay.client import APITestClient, Identity
from assay.client.transports import ASGIAppTransport
from assay.engine import Engine, RunSettings
from assay.generation.cases import Case


def _app() -> FastAPI:
    app = FastAPI()
    arrived: dict[str, asyncio.Event] = {}

    @app.get("/meet/{name}/{other}", operation_id="meet")
    async def meet(name: str, other: str) -> dict[str, str]:
        arrived.setdefault(name, asyncio.Event()).set()
        await asyncio.wait_for(arrived.setdefault(other, asyncio.Event()).wait(), 5)
        if name == "broken":
            raise HTTPException(500, "boom")
        return {"met": other}

    @app.post("/logout", operation_id="logout", status_code=204)
    def logout() -> None:
        return None

    return app


def _engine(client: APITestClient, **settings: Any) -> Engine:
    options = RunSettings(phases=(), checks=("server_error",), seed=1, **settings)
    return Engine(client, options, target="app")


def _meet(client: APITestClient, name: str, other: str) -> Case:
    return Case(client.spec.operation("meet"), {"name": name, "other": other}, phase="examples")


def test_a_group_goes_at_once_and_each_answer_is_checked_in_order() -> None:
    with APITestClient(_app(), validate=False, timeout=10) as client:
        engine = _engine(client)
        cases = [_meet(client, "a", "broken"), _meet(client, "broken", "a")]
        first, second = engine.execute_together(cases)
    assert first.exchange is not None
    assert second.exchange is not None
    assert (first.exchange.status, second.exchange.status) == (200, 500)
    assert first.findings == []
    assert [f.check for f in second.findings] == ["server_error"]
    assert engine.cases == 2
    assert engine.coverage["GET /meet/{name}/{other}"]["statuses"] == {"200": 1, "500": 1}


def test_nothing_is_sent_once_the_deadline_has_passed() -> None:
    with APITestClient(_app(), validate=False) as client:
        engine = _engine(client, max_time=0.001)
        time.sleep(0.01)
        executions = engine.execute_together([_meet(client, "a", "b"), _meet(client, "b", "a")])
        assert [(e.exchange, e.findings) for e in executions] == [(None, []), (None, [])]
        assert client.exchanges == []


def test_a_case_the_session_guard_skips_keeps_its_place() -> None:
    ana = Identity.bearer("ana", "fixed-token")
    with APITestClient(_app(), validate=False, identities=[ana]) as client:
        engine = _engine(client)
        logout = Case(client.spec.operation("logout"), identity="ana", phase="boundary")
        anonymous = Case(client.spec.operation("logout"), identity=None, phase="boundary")
        skipped, sent = engine.execute_together([logout, anonymous])
    assert skipped.exchange is None  # a fixed token cannot be renewed: not logged out
    assert sent.exchange is not None
    assert sent.exchange.status == 204


class _ResetOnce(httpx2.BaseTransport):
    """The app behind a connection that is reset once, on the first request to `path`."""

    def __init__(self, app: FastAPI, path: str) -> None:
        self.inner = ASGIAppTransport(app, raise_app_exceptions=False)
        self.path = path
        self.resets = 0
        self._lock = threading.Lock()

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        with self._lock:
            reset = request.url.path == self.path and self.resets == 0
            self.resets += reset
        if reset:
            raise httpx2.RemoteProtocolError("connection reset by peer", request=request)
        return self.inner.handle_request(request)

    def together(self) -> Any:
        return self.inner.together()

    def close(self) -> None:
        self.inner.close()


def test_a_reset_connection_is_tried_once_more_on_its_own() -> None:
    app = FastAPI()

    @app.get("/ping/{n}", operation_id="ping")
    def ping(n: int) -> dict[str, int]:
        return {"n": n}

    transport = _ResetOnce(app, "/ping/2")
    with APITestClient(app, transport=transport, validate=False) as client:
        engine = _engine(client)
        operation = client.spec.operation("ping")
        cases = [Case(operation, {"n": n}, phase="examples") for n in (1, 2, 3)]
        executions = engine.execute_together(cases)
    assert transport.resets == 1
    assert [e.exchange.response.json() for e in executions if e.exchange] == [
        {"n": 1},
        {"n": 2},
        {"n": 3},
    ]
    assert all(e.findings == [] for e in executions)
