"""Conformance checks: each fires on its defect and stays silent on FastAPI's real behaviour."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse
from fastapi.security import OAuth2PasswordBearer
from pydantic import BaseModel
from tests.checks.bench import Probe
from tests.checks.conftest import MakeBench


class Item(BaseModel):
    id: int
    name: str


def _items_app(body: Any, status: int = 200, **route: Any) -> FastAPI:
    app = FastAPI()

    @app.get("/items/{item_id}", response_model=Item, **route)
    def read(item_id: int) -> JSONResponse:
        return JSONResponse(body, status_code=status)

    return app


SCHEME = OAuth2PasswordBearer(tokenUrl="/token")
ITEM = Probe("GET /items/{item_id}", path={"item_id": 1})


def test_undocumented_status_fires_on_a_status_the_spec_lacks(bench: MakeBench) -> None:
    (found,) = bench(_items_app({"detail": "gone"}, 410)).fired("undocumented_status_code", ITEM)
    assert found.operation == "GET /items/{item_id}"
    assert found.signature == "410"
    assert found.evidence["documented"] == "200, 422"


def test_undocumented_status_accepts_fastapi_422_default_and_ranges(bench: MakeBench) -> None:
    bad = Probe("GET /items/{item_id}", path={"item_id": "abc"}, kind="negative")
    assert bench(_items_app({})).fired("undocumented_status_code", bad) == []
    default = _items_app({"detail": "teapot"}, 418, responses={"default": {"description": "x"}})
    assert bench(default).fired("undocumented_status_code", ITEM) == []
    ranged = _items_app({"detail": "teapot"}, 418, responses={"4XX": {"description": "x"}})
    assert bench(ranged).fired("undocumented_status_code", ITEM) == []


def test_undocumented_status_accepts_fastapi_security_401(bench: MakeBench) -> None:
    app = FastAPI()

    @app.get("/me")
    def me(token: Annotated[str, Depends(SCHEME)]) -> dict[str, str]:
        return {"token": token}

    assert bench(app).fired("undocumented_status_code", Probe("GET /me")) == []


def test_undocumented_status_ignores_probes_redirects_and_server_errors(
    bench: MakeBench,
) -> None:
    app = FastAPI()

    @app.get("/things")
    def things() -> list[int]:
        return [1]

    @app.get("/crash")
    def crash() -> list[int]:
        raise HTTPException(500, "down")

    @app.get("/moved")
    def moved() -> RedirectResponse:
        return RedirectResponse("http://testserver/moved/", status_code=307)

    made = bench(app)
    probe = Probe("GET /things", method="DELETE", kind="negative", phase="semantics")
    assert made.fired("undocumented_status_code", probe) == []
    assert made.fired("undocumented_status_code", Probe("GET /crash")) == []
    assert made.fired("undocumented_status_code", Probe("GET /moved")) == []


def test_undocumented_status_ignores_a_path_value_that_routes_elsewhere(
    bench: MakeBench,
) -> None:
    app = FastAPI()

    @app.get("/files/{name}")
    def read(name: str) -> dict[str, str]:
        return {"name": name}

    probe = Probe("GET /files/{name}", path={"name": "a/b"})
    assert bench(app).fired("undocumented_status_code", probe) == []


def test_undocumented_status_accepts_a_415_to_an_undeclared_media_type(
    bench: MakeBench,
) -> None:
    app = FastAPI()

    @app.post("/items", response_model=Item)
    def create(item: Item) -> JSONResponse:
        return JSONResponse({"detail": "use JSON"}, status_code=415)

    probe = Probe("POST /items", raw_body=b"<item/>", media_type="application/xml")
    assert bench(app).fired("undocumented_status_code", probe) == []


def test_undocumented_content_type_fires_on_text_for_json(bench: MakeBench) -> None:
    app = FastAPI()

    @app.get("/items/{item_id}", response_model=Item)
    def read(item_id: int) -> PlainTextResponse:
        return PlainTextResponse("1,lamp")

    (found,) = bench(app).fired("undocumented_content_type", ITEM)
    assert found.evidence["content_type"].startswith("text/plain")


def test_undocumented_content_type_silent_on_json_and_on_content_less_docs(
    bench: MakeBench,
) -> None:
    assert bench(_items_app({"id": 1, "name": "a"})).fired("undocumented_content_type", ITEM) == []
    app = FastAPI()

    @app.get("/ping", response_class=PlainTextResponse, responses={200: {"description": "ok"}})
    def ping() -> str:
        return "pong"

    assert bench(app).fired("undocumented_content_type", Probe("GET /ping")) == []


def test_response_schema_fires_with_one_signature_per_broken_field(bench: MakeBench) -> None:
    made = bench(_items_app({"id": "one"}))
    (found,) = made.fired("response_schema_violation", ITEM)
    assert "#/components/schemas/Item" in found.signature
    (again,) = made.fired("response_schema_violation", ITEM)
    assert again.signature == found.signature


def test_response_schema_silent_on_a_conforming_body(bench: MakeBench) -> None:
    made = bench(_items_app({"id": 1, "name": "lamp"}))
    assert made.fired("response_schema_violation", ITEM) == []


def test_response_schema_ignores_head_bodies(bench: MakeBench) -> None:
    app = FastAPI()

    @app.head("/items/{item_id}", response_model=Item)
    def head(item_id: int) -> JSONResponse:
        return JSONResponse({"id": "x"})

    probe = Probe("HEAD /items/{item_id}", path={"item_id": 1})
    assert bench(app).fired("response_schema_violation", probe) == []


def _limited(headers: dict[str, str]) -> FastAPI:
    app = FastAPI()
    declared = {"Retry-After": {"required": True, "schema": {"type": "integer"}}}

    @app.get("/quota", responses={429: {"description": "slow down", "headers": declared}})
    def quota() -> JSONResponse:
        return JSONResponse({"detail": "slow down"}, status_code=429, headers=headers)

    return app


def test_missing_response_header_fires_on_a_429_without_retry_after(bench: MakeBench) -> None:
    (found,) = bench(_limited({})).fired("missing_response_header", Probe("GET /quota"))
    assert found.evidence["headers"] == ["Retry-After"]
    assert found.signature == "429:Retry-After"


def test_missing_response_header_fires_on_a_value_breaking_its_schema(bench: MakeBench) -> None:
    made = bench(_limited({"Retry-After": "soon"}))
    (found,) = made.fired("missing_response_header", Probe("GET /quota"))
    assert found.evidence["headers"] == ["Retry-After"]


def test_missing_response_header_silent_when_present(bench: MakeBench) -> None:
    made = bench(_limited({"Retry-After": "30"}))
    assert made.fired("missing_response_header", Probe("GET /quota")) == []


def test_undocumented_status_accepts_size_limits(bench: MakeBench) -> None:
    made = bench(_items_app({"detail": "too large"}, 413))
    assert made.fired("undocumented_status_code", ITEM) == []
