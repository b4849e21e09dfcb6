"""`send_together`: a group of requests sent at the same moment, in-process and live."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI, Request
from tests.serving import serve

from assay.client import APITestClient, Identity
from assay.client.messages import APITestRequest
from assay.client.network import ConnectionProblem
from assay.client.transports import Group
from assay.errors import AssayError, Finding

MEET = [APITestRequest("GET", "/meet/a/b"), APITestRequest("GET", "/meet/b/a")]


def _app() -> FastAPI:
    """Endpoints that answer only when another request of the group is in the app too."""
    app = FastAPI()
    arrived: dict[str, asyncio.Event] = {}
    parallel = threading.Barrier(3, timeout=5)

    @app.get("/meet/{name}/{other}")
    async def meet(name: str, other: str) -> dict[str, str]:
        arrived.setdefault(name, asyncio.Event()).set()
        await arrived.setdefault(other, asyncio.Event()).wait()
        return {"met": other}

    @app.get("/parallel")
    def in_parallel() -> dict[str, int]:
        return {"waited_for": parallel.wait()}

    @app.get("/stuck")
    async def stuck() -> dict[str, str]:
        await asyncio.sleep(3600)
        return {}

    @app.get("/who")
    def who(request: Request) -> dict[str, Any]:
        return {"authorization": request.headers.get("authorization")}

    return app


def test_requests_that_wait_for_each_other_answer_when_sent_together() -> None:
    with APITestClient(_app(), spec=None, timeout=5) as api:
        answers = api.send_together(MEET)
        assert [a.json() for a in answers] == [{"met": "b"}, {"met": "a"}]
        # Sent one after the other, the first waits for a request that never comes.
        with pytest.raises(ConnectionProblem, match=r"within 0\.3 s"):
            api.get("/meet/c/d", timeout=0.3)


def test_sync_endpoints_run_in_parallel_in_the_app_threadpool() -> None:
    with APITestClient(_app(), spec=None, timeout=5) as api:
        answers = api.send_together([APITestRequest("GET", "/parallel")] * 3)
    assert sorted(a.json()["waited_for"] for a in answers) == [0, 1, 2]


def test_every_request_of_a_group_is_recorded_with_its_identity() -> None:
    ana, ben = Identity.bearer("ana", "a-token"), Identity.bearer("ben", "b-token")
    with APITestClient(_app(), spec=None, identities=[ana, ben]) as api:
        answers = api.send_together(
            [APITestRequest("GET", "/who", identity=name) for name in ("ana", "ben", "ana")]
        )
        recorded = sorted((e.identity or "", e.response.status_code) for e in api.exchanges)
    assert [a.json()["authorization"] for a in answers] == [
        "Bearer a-token",
        "Bearer b-token",
        "Bearer a-token",
    ]
    assert [a.identity for a in answers] == ["ana", "ben", "ana"]
    assert recorded == [("ana", 200), ("ana", 200), ("ben", 200)]


def test_each_request_keeps_its_own_timeout() -> None:
    group = [
        APITestRequest("GET", "/stuck", timeout=0.2),
        APITestRequest("GET", "/who"),
        *MEET,
    ]
    with APITestClient(_app(), spec=None, timeout=5) as api:
        stuck, who, *met = api.send_together(group, return_exceptions=True)
        assert isinstance(stuck, ConnectionProblem)
        assert "within 0.2 s" in stuck.message
        assert who.status_code == 200
        assert [m.status_code for m in met] == [200, 200]
        with pytest.raises(ConnectionProblem):
            api.send_together(group)
        api.get("/who").expect.status(200)  # the app is still served one request at a time


def test_responses_are_validated_like_single_ones() -> None:
    app = FastAPI()

    @app.get("/count", response_model=int)
    def count() -> Any:
        return "many"  # FastAPI would refuse it; a raw response does not go through

    @app.get("/raw")
    def raw() -> Any:
        from fastapi.responses import JSONResponse

        return JSONResponse("many")

    app.openapi_schema = None
    spec = app.openapi()
    spec["paths"]["/raw"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] = {
        "type": "integer"
    }
    with APITestClient(app, spec=_loaded(spec)) as api:
        good, bad = api.send_together(
            [APITestRequest("GET", "/raw", validate=False), APITestRequest("GET", "/raw")],
            return_exceptions=True,
        )
    assert good.status_code == 200
    assert isinstance(bad, Finding)


def _loaded(document: dict[str, Any]) -> Any:
    from assay.spec import load

    return load(document)


def test_a_bad_request_in_a_group_is_refused_before_any_is_sent() -> None:
    with APITestClient(_app()) as api:
        with pytest.raises(AssayError, match="no_such_operation"):
            api.send_together(
                [APITestRequest("GET", "/who"), APITestRequest(operation_id="no_such_operation")]
            )
        assert api.exchanges == []
        assert api.send_together([]) == []


def test_a_group_sent_from_inside_a_running_event_loop() -> None:
    async def main() -> list[Any]:
        with APITestClient(_app(), spec=None, timeout=5) as api:
            return [a.json() for a in api.send_together(MEET)]

    assert asyncio.run(main()) == [{"met": "b"}, {"met": "a"}]


def test_requests_of_a_group_reach_their_body_together() -> None:
    log: list[str] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        log.append("start")
        await receive()
        log.append("body")
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    with APITestClient(app, spec=None, timeout=5) as api:
        api.send_together([APITestRequest("POST", "/", content=b"x")] * 4)
        assert log == ["start"] * 4 + ["body"] * 4
        log.clear()
        api.post("/", content=b"x")
        api.post("/", content=b"x")
        assert log == ["start", "body", "start", "body"]


def test_a_group_opens_once_every_request_got_to_its_body_or_finished() -> None:
    async def scenario() -> list[bool]:
        group = Group(3)
        seen = [group._event().is_set()]
        group.arrive()  # finished without reading its body
        waiting = asyncio.ensure_future(group.wait())
        await asyncio.sleep(0)
        seen.append(group._event().is_set())
        group.arrive()
        await waiting
        seen.append(group._event().is_set())
        return seen

    assert asyncio.run(scenario()) == [False, False, True]


def test_a_closed_app_runner_refuses_a_group() -> None:
    api = APITestClient(_app(), spec=None)
    api.get("/who")
    api.close()
    with pytest.raises(AssayError, match="closed"):
        api.send_together(MEET)


@pytest.fixture(scope="module")
def live_url() -> Iterator[str]:
    with serve(_app()) as url:
        yield url


def test_a_group_sent_to_a_live_url_arrives_together(live_url: str) -> None:
    with APITestClient(base_url=live_url, spec=None, timeout=5) as api:
        answers = api.send_together(MEET)
        assert [a.json() for a in answers] == [{"met": "b"}, {"met": "a"}]
        parallel = api.send_together([APITestRequest("GET", "/parallel")] * 3)
        assert sorted(a.json()["waited_for"] for a in parallel) == [0, 1, 2]
