"""CSV imports in the stateful phase: rows naming the run's items, one out of range."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Request
from pydantic import BaseModel, Field

from assay.engine import RunSettings, run_engine
from assay.generation.imports import csv_plan
from assay.spec import from_asgi

_ROWS = {
    "type": "object",
    "required": ["rows"],
    "properties": {
        "rows": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "code": {"type": "string"},
                    "count": {"type": "integer", "minimum": 0},
                },
            },
        }
    },
}
_IMPORT = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": _ROWS},
            "text/csv": {"schema": {"type": "string"}, "example": "code,count\r\nAB-1,3\r\n"},
        },
    }
}


class ItemIn(BaseModel):
    code: Annotated[str, Field(pattern=r"^[A-Z]{2}-[0-9]{1,3}$")]


class Item(ItemIn):
    count: Annotated[int, Field(ge=0)]


def _app(*, checks_csv: bool) -> FastAPI:
    app = FastAPI()
    items: dict[str, dict[str, Any]] = {}

    @app.post("/items", status_code=201, responses={409: {"description": "Exists"}})
    def add(body: ItemIn) -> Item:
        if body.code in items:
            raise HTTPException(409, "exists")
        items[body.code] = {"code": body.code, "count": 0}
        return Item(**items[body.code])

    @app.get("/items/{code}", responses={404: {"description": "No such item"}})
    def read(code: str) -> Item:
        if code not in items:
            raise HTTPException(404, "no such item")
        return Item(**items[code])

    @app.post("/imports", openapi_extra=_IMPORT, responses={422: {"description": "Bad rows"}})
    async def load(request: Request) -> dict[str, int]:
        if request.headers.get("content-type", "").startswith("text/csv"):
            records = list(csv.reader(io.StringIO((await request.body()).decode())))[1:]
            rows = [(code, int(count)) for code, count in records if code]
        else:
            rows = [(r["code"], r["count"]) for r in (await request.json())["rows"]]
        if any(code not in items for code, _ in rows):
            raise HTTPException(422, "unknown code")
        if any(count < 0 for _, count in rows) and (checks_csv or "json" in request.url.path):
            raise HTTPException(422, "negative count")
        for code, count in rows:
            items[code]["count"] = count
        return {"imported": len(rows)}

    return app


def _run(app: FastAPI) -> set[tuple[str, str | None]]:
    settings = RunSettings(phases=("stateful",), checks=("server_error",), seed=2, max_examples=5)
    result = run_engine(app, settings=settings)
    assert not result.internal_errors
    return {(f.check, f.operation) for f in result.findings}


def test_the_plan_takes_the_header_the_example_and_the_json_twins_ranges() -> None:
    spec = from_asgi(_app(checks_csv=True))
    operation = next(op for op in spec.operations if op.label == "POST /imports")
    plan = csv_plan(spec, operation)
    assert plan is not None
    assert (plan.columns, plan.example, dict(plan.below)) == (
        ("code", "count"),
        ("AB-1", "3"),
        {"count": -1},
    )
    assert plan.text([["XY-9", -1]]) == "code,count\r\nXY-9,-1\r\n"
    reading = next(op for op in spec.operations if op.label == "GET /items/{code}")
    assert csv_plan(spec, reading) is None


def test_a_negative_count_let_through_by_csv_breaks_the_read() -> None:
    assert _run(_app(checks_csv=False)) == {("server_error", "GET /items/{code}")}


def test_an_import_that_checks_its_rows_gives_no_finding() -> None:
    assert _run(_app(checks_csv=True)) == set()
