"""The in-process ASGI transport: lifespan, exceptions, async callers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from fastapi import FastAPI

from assay.client import APITestClient, LifespanError
from assay.errors import AssayError


def test_lifespan_runs_startup_before_first_request_and_shutdown_at_close(
    app: FastAPI, events: list[str]
) -> None:
    api = APITestClient(app, spec=None)
    assert events == []
    api.get("/notes/1").expect.status(200)
    assert events == ["startup"]
    api.close()
    assert events == ["startup", "shutdown"]


def test_context_manager_starts_the_app_on_entry(app: FastAPI, events: list[str]) -> None:
    with APITestClient(app, spec=None):
        assert events == ["startup"]
    assert events == ["startup", "shutdown"]


def test_app_without_lifespan_support_still_works() -> None:
    async def bare_app(scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["type"] != "http":
            raise RuntimeError("only http")
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    with APITestClient(bare_app, spec=None) as api:
        assert api.get("/").status_code == 204


def test_failing_startup_is_a_clear_error() -> None:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        raise ConnectionError("database is down")
        yield

    api = APITestClient(FastAPI(lifespan=lifespan), spec=None)
    with pytest.raises(LifespanError, match=r"lifespan startup failed.*database is down"):
        api.get("/")


def test_app_exception_propagates_by_default(client: APITestClient) -> None:
    with pytest.raises(ZeroDivisionError, match="divided by zero"):
        client.get("/boom")


def test_app_exception_becomes_500_when_asked(app: FastAPI) -> None:
    with APITestClient(app, spec=None, raise_app_exceptions=False) as api:
        response = api.get("/boom")
    assert response.status_code == 500
    assert "divided" not in response.text


def test_closed_client_refuses_requests(app: FastAPI) -> None:
    api = APITestClient(app, spec=None)
    api.close()
    with pytest.raises(AssayError, match="client is closed"):
        api.get("/notes/1")


def test_works_inside_a_running_event_loop(app: FastAPI, events: list[str]) -> None:
    async def inside() -> int:
        with APITestClient(app, spec=None) as api:
            return api.get("/notes/1").status_code

    assert asyncio.run(inside()) == 200
    assert events == ["startup", "shutdown"]


def test_head_request_has_no_body(client: APITestClient) -> None:
    response = client.head("/notes/1")
    assert response.content == b""


def test_an_app_that_never_answers_times_out_instead_of_hanging() -> None:
    import asyncio

    from fastapi import FastAPI

    from assay.client import APITestClient
    from assay.client.network import ConnectionProblem

    app = FastAPI()

    @app.get("/stuck")
    async def stuck() -> dict[str, str]:
        await asyncio.sleep(3600)
        return {}

    @app.get("/fine")
    async def fine() -> dict[str, str]:
        return {"ok": "yes"}

    with APITestClient(app, spec=None, timeout=0.2) as client:
        with pytest.raises(
            ConnectionProblem, match=r"could not get an answer from the server within 0\.2 s"
        ) as info:
            client.get("/stuck")
        assert info.value.kind == "timeout"
        assert client.get("/fine").json() == {"ok": "yes"}


def test_an_app_that_ignores_the_lifespan_scope_runs_without_it() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    with APITestClient(app, spec=None) as api:
        assert api.get("/").status_code == 204
