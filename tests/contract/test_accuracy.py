"""Documentation accuracy: router and probes, traffic, examples; the lint's levels and CLI."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import APIRouter, FastAPI
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket
from tests.contract.apps import make_app
from tests.contract.conftest import har_entry, write_har
from tests.serving import serve as serving

from assay.cli import main
from assay.contract.accuracy import accuracy_lint, fails
from assay.contract.probing import candidate_paths
from assay.contract.routes import served_routes
from assay.contract.traffic import read_traffic
from assay.spec import Spec, from_dict, load


def _codes(problems: list[Any]) -> list[str]:
    return sorted(p.code for p in problems)


def test_a_documented_app_has_no_router_problems(orders_spec: Spec) -> None:
    assert accuracy_lint(orders_spec, app=make_app()) == []


def test_undocumented_routes_of_the_router_and_of_mounted_apps(orders_spec: Spec) -> None:
    problems = accuracy_lint(orders_spec, app=make_app(buggy=True))
    text = "\n".join(map(str, problems))
    assert _codes(problems) == ["route-undocumented"] * 4
    for label in (
        "GET /internal/debug",
        "GET /orders/{order_id}/teapot",
        "GET /admin/stats",
        "GET /metrics",
    ):
        assert label in text


def test_documented_operations_the_app_does_not_serve() -> None:
    document = make_app().openapi()
    document["paths"]["/refunds"] = {
        "post": {"summary": "x", "responses": {"201": {"description": "ok"}}}
    }
    problems = accuracy_lint(from_dict(document), app=make_app())
    assert _codes(problems) == ["operation-unserved"]
    assert problems[0].pointer == "#/paths/~1refunds/post"


def test_routes_read_through_mounts_and_middleware() -> None:
    async def hello(request: Request) -> PlainTextResponse:
        return PlainTextResponse("hi")

    async def socket(websocket: WebSocket) -> None:
        await websocket.close()

    inner = Starlette(
        routes=[
            Route("/items/{item_id:int}", hello, methods=["GET", "PUT"]),
            WebSocketRoute("/feed", socket),
        ]
    )
    app = Starlette(
        routes=[Mount("/api", inner), Mount("/static", StaticFiles(directory=".", check_dir=False))]
    )
    labels = [r.label for r in served_routes(app)]
    assert labels == ["GET /api/items/{item_id}", "PUT /api/items/{item_id}"]
    assert served_routes(object()) == []


def test_traffic_statuses_and_headers(tmp_path: Path, orders_spec: Spec) -> None:
    good = {"id": 1, "sku": "A", "quantity": 1, "price": 1.0}
    entries = [
        har_entry("GET", "http://x/orders/1", 200, good),
        har_entry("GET", "http://x/orders/1", 500, {"detail": "boom"}),
        har_entry("GET", "http://x/orders/1", 500, {"detail": "boom"}),
        har_entry("POST", "http://x/orders", 201, good, request_body={"sku": "A", "quantity": 1}),
    ]
    entries[3]["response"]["headers"] += [
        {"name": "X-Request-Id", "value": "abc"},
        {"name": "Access-Control-Allow-Origin", "value": "*"},
        {"name": "Date", "value": "today"},
    ]
    traffic = read_traffic(write_har(tmp_path / "t.har", entries))
    problems = accuracy_lint(orders_spec, traffic=traffic)
    assert _codes(problems) == ["header-undocumented", "status-undocumented"]
    assert "'x-request-id'" in str(problems[1]) or "'x-request-id'" in str(problems[0])


def test_examples_failing_their_schemas_and_missing_summaries() -> None:
    document = make_app().openapi()
    document["components"]["schemas"]["Order"]["example"] = {"id": "one"}
    del document["paths"]["/stream"]["get"]["summary"]
    problems = accuracy_lint(from_dict(document))
    assert _codes(problems) == ["example-invalid", "summary-missing"]
    assert fails(problems, "error")
    assert fails([p for p in problems if p.level == "warning"], "warning")
    assert not fails([p for p in problems if p.level == "warning"], "error")


def test_probe_candidates_come_from_the_spec() -> None:
    spec = from_dict(
        {
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/v1/orders/{id}": {
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "get": {"responses": {"200": {"description": "ok"}}},
                }
            },
        }
    )
    candidates = candidate_paths(spec, limit=60)
    assert candidates[:4] == ["/v1/orders", "/v1", "/v0/orders/1", "/v2/orders/1"]
    assert "/admin" in candidates
    assert len(candidate_paths(spec, limit=3)) == 3


@pytest.fixture
def serve() -> Iterator[Any]:
    with contextlib.ExitStack() as servers:
        yield lambda app: servers.enter_context(serving(app))


def test_probing_a_live_url(serve: Any, orders_spec: Spec) -> None:
    clean = serve(make_app())
    assert accuracy_lint(orders_spec, base_url=clean) == []
    buggy = serve(make_app(buggy=True))
    problems = accuracy_lint(orders_spec, base_url=buggy)
    assert [p.code for p in problems] == ["route-undocumented"]
    assert "GET /metrics (answered 200)" in problems[0].message


def test_a_catch_all_service_raises_no_false_alarm(serve: Any, orders_spec: Spec) -> None:
    async def anything(request: Request) -> PlainTextResponse:
        return PlainTextResponse("index")

    url = serve(Starlette(routes=[Route("/{path:path}", anything)]))
    assert accuracy_lint(orders_spec, base_url=url) == []


def test_cli_lint_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["contract", "lint", "tests.contract.apps:make_app()"]) == 0
    assert "0 documentation accuracy problems" in capsys.readouterr().out
    document = make_app().openapi()
    del document["paths"]["/stream"]["get"]["summary"]
    spec_file = tmp_path / "openapi.json"
    spec_file.write_text(json.dumps(document))
    assert main(["contract", "lint", str(spec_file)]) == 0
    assert main(["contract", "lint", str(spec_file), "--fail-on", "warning"]) == 1
    assert "[summary-missing]" in capsys.readouterr().out
    assert main(["contract", "lint", str(spec_file), "--fail-on", "info"]) == 2
    assert main(["contract", "lint", str(tmp_path / "missing.json")]) == 2


def test_cli_lint_reads_traffic(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec_file = tmp_path / "openapi.json"
    spec_file.write_text(json.dumps(make_app().openapi()))
    har = write_har(tmp_path / "t.har", [har_entry("GET", "http://x/orders/1", 503, {"d": 1})])
    args = ["contract", "lint", str(spec_file), "--traffic", str(har), "--fail-on", "warning"]
    assert main(args) == 1
    assert "[status-undocumented]" in capsys.readouterr().out
    assert load(spec_file).title == "orders"


def test_included_routers_are_walked_with_their_prefixes() -> None:
    users = APIRouter(prefix="/users")

    @users.get("/{user_id}")
    def user(user_id: int) -> dict[str, int]:
        return {"id": user_id}

    admin = APIRouter(prefix="/admin")
    admin.include_router(users)
    app = FastAPI()
    app.include_router(admin, prefix="/internal", include_in_schema=False)
    assert [r.label for r in served_routes(app)] == ["GET /internal/admin/users/{user_id}"]
    problems = accuracy_lint(load(app), app=app)
    assert [p.code for p in problems] == ["route-undocumented"]
