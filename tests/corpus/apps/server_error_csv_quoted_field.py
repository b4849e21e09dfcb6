"""A product import taking JSON or CSV whose CSV reader splits lines on commas by hand.

A quoted field holding a comma or a line break (``"Lamp, brass"``, legal CSV) breaks
the row apart and the unpacking of its cells fails with a 500. The JSON path is fine,
and JSON is the media type every phase sent first: only CSV bodies in the examples,
boundary and fuzz phases reach the defect. The fix reads the body with a CSV reader.
"""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from tests.checks.bench import Probe
from tests.corpus.apps._documents import VALIDATION_ERROR, parse
from tests.corpus.apps._hardening import hardened

DEFECT = ("server_error", "POST /products/imports")
PROBES = (
    Probe(
        "POST /products/imports",
        body='sku,name,quantity\r\nLAMP-1,"Lamp, brass",3\r\n',
        media_type="text/csv",
        phase="boundary",
    ),
)
MAX_ROWS = 500
COLUMNS = ("sku", "name", "quantity")


class ProductRow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: Annotated[str, Field(pattern=r"^[A-Z0-9][A-Z0-9-]{0,19}$")]
    name: Annotated[str, Field(min_length=1, max_length=80)]
    quantity: Annotated[int, Field(ge=0, le=10_000)]


class ProductImport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rows: Annotated[list[ProductRow], Field(max_length=MAX_ROWS)]


class Imported(BaseModel):
    imported: int


def _problem(status: int, detail: str) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status)


def _invalid(errors: list[dict[str, Any]]) -> JSONResponse:
    """FastAPI's own 422 shape."""
    return JSONResponse({"detail": errors}, status_code=422)


def _refused(message: str) -> JSONResponse:
    return _invalid([{"loc": ["body"], "msg": message, "type": "value_error"}])


_PROBLEM = {"application/json": {"schema": {"type": "object"}}}
_ROW = {
    "type": "object",
    "required": list(COLUMNS),
    "additionalProperties": False,
    "properties": {
        "sku": {"type": "string", "pattern": "^[A-Z0-9][A-Z0-9-]{0,19}$"},
        "name": {"type": "string", "minLength": 1, "maxLength": 80},
        "quantity": {"type": "integer", "minimum": 0, "maximum": 10_000},
    },
}
_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["rows"],
                    "additionalProperties": False,
                    "properties": {"rows": {"type": "array", "maxItems": MAX_ROWS, "items": _ROW}},
                }
            },
            "text/csv": {
                "schema": {"type": "string"},
                "example": "sku,name,quantity\r\nLAMP-1,Brass lamp,3\r\n",
            },
        },
    }
}
_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"model": Imported},
    400: {"description": "Not UTF-8", "content": _PROBLEM},
    413: {"description": f"More than {MAX_ROWS} rows", "content": _PROBLEM},
    415: {"description": "Neither JSON nor CSV", "content": _PROBLEM},
    **VALIDATION_ERROR,
}


def _records(text: str, fixed: bool) -> list[list[str]]:
    if fixed:
        return list(csv.reader(io.StringIO(text, newline="")))
    return [line.split(",") for line in text.splitlines()]


def _rows(raw: bytes, fixed: bool) -> list[ProductRow] | JSONResponse:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _problem(400, "a CSV import must be UTF-8")
    records = [r for r in _records(text, fixed) if any(cell.strip() for cell in r)]
    if not records or sorted(c.strip() for c in records[0]) != sorted(COLUMNS):
        return _refused("the first line must name the columns sku, name, quantity")
    header = [c.strip() for c in records[0]]
    data = records[1:]
    if len(data) > MAX_ROWS:
        return _problem(413, f"an import holds at most {MAX_ROWS} rows")
    if fixed:
        if any(len(cells) != len(header) for cells in data):
            return _refused("every row must have one cell per column")
        items = [dict(zip(header, cells, strict=True)) for cells in data]
    else:  # DEFECT: a quoted comma or line break splits a row; unpacking it fails (500)
        items = [{"sku": sku, "name": name, "quantity": qty} for sku, name, qty in data]
    try:
        return [ProductRow.model_validate(item) for item in items]
    except ValidationError as exc:
        return _invalid(
            [{"loc": ["body", *e["loc"]], "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
        )


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="product imports"))

    @app.post("/products/imports", openapi_extra=_BODY, responses=_RESPONSES, response_model=None)
    async def import_products(request: Request) -> JSONResponse:
        media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if media == "text/csv":
            rows = _rows(await request.body(), fixed)
        elif media == "application/json":
            parsed = await parse(ProductImport, request)
            rows = parsed if isinstance(parsed, JSONResponse) else parsed.rows
        else:
            return _problem(415, "send the import as application/json or text/csv")
        if isinstance(rows, JSONResponse):
            return rows
        return JSONResponse({"imported": len(rows)})

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
