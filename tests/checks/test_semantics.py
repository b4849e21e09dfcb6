"""Semantics checks: methods and Allow, HEAD, OPTIONS, negotiation, safe GETs."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime
from typing import Annotated

from fastapi import FastAPI, Form, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from tests.checks.bench import Probe
from tests.checks.conftest import MakeBench


class Tag(BaseModel):
    name: str


def _tags(*, keep_headers: bool = True) -> FastAPI:
    """GET and POST /tags as two FastAPI routes (FastAPI's Allow then names one route)."""
    app = FastAPI()

    if not keep_headers:

        @app.exception_handler(HTTPException)
        async def plain(request: Request, exc: HTTPException) -> JSONResponse:
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)

    @app.get("/tags")
    def list_tags() -> list[Tag]:
        return [Tag(name="red")]

    @app.post("/tags", status_code=201)
    def add(tag: Tag) -> Tag:
        return tag

    return app


def _probe(method: str, operation: str = "GET /tags", **values: object) -> Probe:
    kind = "positive" if method == "HEAD" else "negative"
    return Probe(operation, method=method, kind=kind, phase="semantics", **values)  # type: ignore[arg-type]


def test_undeclared_method_silent_on_fastapi_405_with_allow(bench: MakeBench) -> None:
    made = bench(_tags())
    for method in ("PUT", "PATCH", "DELETE"):
        assert made.fired("undeclared_method", _probe(method)) == []


def test_undeclared_method_fires_on_405_without_allow(bench: MakeBench) -> None:
    (found,) = bench(_tags(keep_headers=False)).fired("undeclared_method", _probe("PUT"))
    assert found.title == "405 without an Allow header"
    assert found.operation == "GET /tags"


def test_undeclared_method_fires_on_an_allow_listing_the_refused_method(
    bench: MakeBench,
) -> None:
    app = FastAPI()

    @app.get("/tags")
    def list_tags() -> list[Tag]:
        return []

    @app.api_route("/tags", methods=["DELETE"], include_in_schema=False)
    def refuse() -> Response:
        return Response(status_code=405, headers={"Allow": "GET, DELETE"})

    (found,) = bench(app).fired("undeclared_method", _probe("DELETE"))
    assert "refused method DELETE" in found.title


def test_undeclared_method_fires_on_a_hidden_route_that_answers(bench: MakeBench) -> None:
    app = FastAPI()

    @app.get("/tags")
    def list_tags() -> list[Tag]:
        return []

    @app.delete("/tags", include_in_schema=False, status_code=204)
    def wipe() -> None:
        return None

    (found,) = bench(app).fired("undeclared_method", _probe("DELETE"))
    assert found.evidence["method"] == "DELETE"


def _files(*, head_lies: bool | None) -> FastAPI:
    app = FastAPI()

    @app.get("/files/{name}")
    def read(name: str) -> JSONResponse:
        if name != "readme":
            return JSONResponse({"detail": "missing"}, status_code=404)
        return JSONResponse({"name": name})

    if head_lies is not None:

        @app.head("/files/{name}", include_in_schema=False)
        def head(name: str) -> Response:
            found = head_lies or name == "readme"
            return Response(status_code=200 if found else 404, media_type="application/json")

    return app


HEAD_MISSING = _probe("HEAD", "GET /files/{name}", path={"name": "nothing"})


def test_head_mismatch_fires_when_head_and_get_disagree(bench: MakeBench) -> None:
    (found,) = bench(_files(head_lies=True)).fired("head_mismatch", HEAD_MISSING)
    assert found.evidence == {
        "status": 200,
        "head_status": 200,
        "get_status": 404,
        "case": found.evidence["case"],
    }


def test_head_mismatch_silent_on_fastapi_405_and_on_an_honest_head(bench: MakeBench) -> None:
    assert bench(_files(head_lies=None)).fired("head_mismatch", HEAD_MISSING) == []
    assert bench(_files(head_lies=False)).fired("head_mismatch", HEAD_MISSING) == []


def test_options_allow_silent_on_fastapi_and_cors_preflight(bench: MakeBench) -> None:
    assert bench(_tags()).fired("options_allow", _probe("OPTIONS")) == []
    app = _tags()
    app.add_middleware(CORSMiddleware, allow_origins=["https://shop.example"], allow_methods=["*"])
    preflight = _probe(
        "OPTIONS",
        headers={"Origin": "https://shop.example", "Access-Control-Request-Method": "POST"},
    )
    assert bench(app).fired("options_allow", preflight) == []


def test_options_allow_fires_on_405_without_allow_and_on_an_incomplete_allow(
    bench: MakeBench,
) -> None:
    (bare,) = bench(_tags(keep_headers=False)).fired("options_allow", _probe("OPTIONS"))
    assert bare.title == "405 without an Allow header"
    app = _tags()

    @app.options("/tags", include_in_schema=False)
    def options() -> Response:
        return Response(status_code=204, headers={"Allow": "GET, OPTIONS"})

    (found,) = bench(app).fired("options_allow", _probe("OPTIONS"))
    assert "POST" in found.title


def _report(*, negotiates: bool) -> FastAPI:
    app = FastAPI()
    content = {"text/csv": {"schema": {"type": "string"}}} if negotiates else {}
    responses = {200: {"content": content}} if negotiates else {}

    @app.get("/report", responses=responses)  # type: ignore[arg-type]
    def report() -> dict[str, int]:
        return {"total": 3}

    return app


CSV = Probe("GET /report", headers={"Accept": "text/csv"}, phase="semantics")


def test_not_acceptable_fires_when_a_negotiating_operation_ignores_accept(
    bench: MakeBench,
) -> None:
    (found,) = bench(_report(negotiates=True)).fired("not_acceptable", CSV)
    assert found.evidence["content_type"] == "application/json"


def test_not_acceptable_silent_for_json_only_fastapi_operations(bench: MakeBench) -> None:
    assert bench(_report(negotiates=False)).fired("not_acceptable", CSV) == []
    json_ok = Probe("GET /report", headers={"Accept": "application/*"})
    assert bench(_report(negotiates=True)).fired("not_acceptable", json_ok) == []


def test_unsupported_media_type_accepted_fires_on_text_plain(bench: MakeBench) -> None:
    app = FastAPI()
    schema = {"type": "object"}
    extra = {"requestBody": {"content": {"application/json": {"schema": schema}}}}

    @app.post("/messages", openapi_extra=extra)
    async def send(request: Request) -> dict[str, str]:
        return {"got": (await request.body()).decode()}

    probe = Probe("POST /messages", raw_body=b'{"a": 1}', media_type="text/plain")
    (found,) = bench(app).fired("unsupported_media_type_accepted", probe)
    assert found.signature == "text/plain"


def test_unsupported_media_type_silent_on_fastapi_models_and_json_variants(
    bench: MakeBench,
) -> None:
    app = FastAPI()

    @app.post("/tags")
    def add(tag: Tag) -> Tag:
        return tag

    made = bench(app)
    text = Probe("POST /tags", raw_body=b'{"name": "x"}', media_type="text/plain")
    assert made.fired("unsupported_media_type_accepted", text) == []
    variant = Probe("POST /tags", body={"name": "x"}, media_type="application/merge-patch+json")
    assert made.fired("unsupported_media_type_accepted", variant) == []


def test_get_not_idempotent_fires_on_a_counter_in_the_body(bench: MakeBench) -> None:
    app = FastAPI()
    views = itertools.count(1)

    @app.get("/articles/featured")
    def featured() -> dict[str, int]:
        return {"id": 1, "views": next(views)}

    (found,) = bench(app).fired("get_not_idempotent", Probe("GET /articles/featured"))
    assert found.signature == "/views"


def test_get_not_idempotent_ignores_volatile_fields_and_growing_lists(bench: MakeBench) -> None:
    app = FastAPI()
    items: list[int] = []

    @app.get("/clock")
    def clock() -> dict[str, object]:
        return {
            "now": datetime.now(tz=UTC).isoformat(),
            "request_id": str(uuid.uuid4()),
            "token": uuid.uuid4().hex,
            "server": {"generated": datetime.now(tz=UTC).isoformat()},
        }

    @app.get("/items")
    def list_items() -> dict[str, object]:
        items.append(len(items))
        return {"items": list(items), "total": len(items)}

    made = bench(app)
    assert made.fired("get_not_idempotent", Probe("GET /clock")) == []
    assert made.fired("get_not_idempotent", Probe("GET /items")) == []


def test_get_not_idempotent_ignores_throttling_and_stateful_steps(bench: MakeBench) -> None:
    app = FastAPI()
    calls = itertools.count(1)

    @app.get("/quota")
    def quota() -> JSONResponse:
        if next(calls) > 1:
            return JSONResponse({"detail": "slow down"}, status_code=429)
        return JSONResponse({"ok": True})

    @app.get("/counter")
    def counter() -> dict[str, int]:
        return {"value": next(calls)}

    made = bench(app)
    assert made.fired("get_not_idempotent", Probe("GET /quota")) == []
    stateful = Probe("GET /counter", phase="stateful")
    assert made.fired("get_not_idempotent", stateful) == []


def test_unsupported_media_type_silent_on_multipart_to_a_form_operation(
    bench: MakeBench,
) -> None:
    app = FastAPI()

    @app.post("/login")
    def login(username: Annotated[str, Form()]) -> dict[str, str]:
        return {"user": username}

    probe = Probe("POST /login", body={"username": "ana"}, media_type="multipart/form-data")
    exchange = bench(app).send(probe)
    assert exchange.status == 200
    assert bench(app).run(exchange, ["unsupported_media_type_accepted"]) == []


def test_get_not_idempotent_resends_three_cases_per_operation(bench: MakeBench) -> None:
    app = FastAPI()
    calls = itertools.count(1)

    @app.get("/stable")
    def stable() -> dict[str, int]:
        next(calls)
        return {"value": 1}

    made = bench(app)
    for _ in range(5):
        made.fired("get_not_idempotent", Probe("GET /stable"))
    assert next(calls) == 5 + 3 + 1


def test_undeclared_method_silent_on_404_or_501(bench: MakeBench) -> None:
    app = FastAPI()

    @app.get("/tags")
    def list_tags() -> list[Tag]:
        return []

    @app.api_route("/tags", methods=["PUT", "PATCH"], include_in_schema=False)
    def refuse(request: Request) -> Response:
        return Response(status_code=404 if request.method == "PUT" else 501)

    made = bench(app)
    assert made.fired("undeclared_method", _probe("PUT"), _probe("PATCH")) == []
