"""`inconsistent_error_format`: one error format across the API, FastAPI's own included."""

from __future__ import annotations

from fastapi import FastAPI, HTTPException
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel
from tests.checks.bench import Probe
from tests.checks.conftest import MakeBench


class Item(BaseModel):
    quantity: int


def _shop(odd: dict[str, object] | None, media: str = "application/json") -> FastAPI:
    """Three lookups answering 404 as FastAPI does; `odd` replaces the third's body."""
    app = FastAPI()

    @app.get("/a/{item_id}")
    def a(item_id: int) -> Item:
        raise HTTPException(404, "no a")

    @app.get("/b/{item_id}")
    def b(item_id: int) -> Item:
        raise HTTPException(404, "no b")

    @app.get("/c/{item_id}")
    def c(item_id: int) -> JSONResponse:
        if odd is None:
            raise HTTPException(404, "no c")
        return JSONResponse(odd, status_code=404, media_type=media)

    @app.post("/items")
    def create(item: Item) -> Item:
        return item

    return app


A, B, C = (Probe(f"GET /{x}/{{item_id}}", path={"item_id": 1}) for x in "abc")
INVALID = Probe("POST /items", body={"quantity": "many"}, kind="negative")


def test_fires_on_the_odd_operation_once_its_family_is_the_minority(bench: MakeBench) -> None:
    made = bench(_shop({"error": {"code": "not_found"}}))
    found = made.fired("inconsistent_error_format", C, A, B, A)
    assert [(f.operation, f.signature) for f in found] == [("GET /c/{item_id}", "error<>detail")]


def test_fires_on_problem_json_among_fastapi_detail_bodies(bench: MakeBench) -> None:
    problem = {"type": "about:blank", "title": "Not Found", "status": 404}
    made = bench(_shop(problem, media="application/problem+json"))
    (found,) = made.fired("inconsistent_error_format", A, B, C)
    assert found.evidence["format"] == "problem"


def test_silent_when_fastapi_422_and_httpexception_bodies_mix(bench: MakeBench) -> None:
    made = bench(_shop(None))
    assert made.fired("inconsistent_error_format", INVALID, A, B, C, INVALID) == []


def test_silent_when_two_operations_disagree_and_none_is_the_norm(bench: MakeBench) -> None:
    made = bench(_shop({"error": "no c"}))
    assert made.fired("inconsistent_error_format", A, C) == []


def test_ignores_method_probes_and_empty_bodies(bench: MakeBench) -> None:
    app = FastAPI()

    @app.get("/x")
    def x() -> JSONResponse:
        return JSONResponse(None, status_code=404)

    made = bench(app)
    probe = Probe("GET /x", method="DELETE", kind="negative", phase="semantics")
    assert made.fired("inconsistent_error_format", probe, Probe("GET /x")) == []


def test_html_pages_have_no_error_format(bench: MakeBench) -> None:
    app = _shop(None)

    @app.get("/pages/{slug}", response_class=HTMLResponse)
    def page(slug: str) -> HTMLResponse:
        return HTMLResponse("<h1>Not found</h1>", status_code=404)

    made = bench(app)
    html = Probe("GET /pages/{slug}", path={"slug": "x"})
    assert made.fired("inconsistent_error_format", A, B, html, C) == []
