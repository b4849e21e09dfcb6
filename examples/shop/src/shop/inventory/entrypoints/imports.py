"""Parsing a bulk stock import: JSON or CSV, size limits answered 413, never a 500."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from shop.inventory.entrypoints import schemas
from shop.inventory.service_layer.handlers import MAX_IMPORT_ROWS
from shop.platform.problems import BadRequest, PayloadTooLarge, Unprocessable, UnsupportedMediaType

MAX_IMPORT_BYTES = 4 * 1024 * 1024
CSV_HEADER = ["sku", "warehouse", "quantity"]
Rows = list[tuple[str, str, int]]

IMPORT_BODY: dict[str, Any] = {
    "required": True,
    "description": f"At most {MAX_IMPORT_ROWS} rows and {MAX_IMPORT_BYTES} bytes (413 beyond).",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["rows"],
                "additionalProperties": False,
                "properties": {
                    "rows": {
                        "type": "array",
                        "maxItems": MAX_IMPORT_ROWS,
                        "items": {
                            "type": "object",
                            "required": ["sku", "warehouse", "quantity"],
                            "additionalProperties": False,
                            "properties": {
                                "sku": {"type": "string", "pattern": "^[A-Z0-9][A-Z0-9-]{0,62}$"},
                                "warehouse": {
                                    "type": "string",
                                    "pattern": "^[a-z0-9][a-z0-9-]{0,31}$",
                                },
                                "quantity": {"type": "integer", "minimum": 0, "maximum": 10**9},
                            },
                        },
                    }
                },
            },
            "example": {"rows": [{"sku": "LAMP-1", "warehouse": "east", "quantity": 12}]},
        },
        "text/csv": {
            "schema": {"type": "string"},
            "example": "sku,warehouse,quantity\r\nLAMP-1,east,12\r\n",
        },
    },
}


def _too_many(count: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"An import holds at most {MAX_IMPORT_ROWS} rows; this one has {count}.")


def _json_rows(body: bytes) -> Rows:
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest("The body is not valid JSON.", slug="malformed-body") from exc
    rows = document.get("rows") if isinstance(document, dict) else None
    if isinstance(rows, list) and len(rows) > MAX_IMPORT_ROWS:
        raise _too_many(len(rows))
    try:
        parsed = schemas.StockImport.model_validate(document)
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_input=False)]
        ) from exc
    return [(row.sku, row.warehouse, row.quantity) for row in parsed.rows]


def _csv_quantity(raw: str, line: int) -> int:
    try:
        if len(raw.strip()) > 12:
            raise ValueError("too long")
        return int(raw.strip())
    except ValueError:
        raise Unprocessable(
            "A quantity is not a whole number; nothing was imported.",
            errors=[{"location": "body", "pointer": f"/body/{line}/quantity", "detail": "integer"}],
        ) from None


def _csv_rows(body: bytes) -> Rows:
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadRequest("A CSV import must be UTF-8.", slug="malformed-body") from exc
    records = list(csv.reader(io.StringIO(text)))
    if not records or [c.strip().lower() for c in records[0]] != CSV_HEADER:
        raise Unprocessable("The first CSV line must be the header sku,warehouse,quantity.")
    data = [r for r in records[1:] if any(cell.strip() for cell in r)]
    if len(data) > MAX_IMPORT_ROWS:
        raise _too_many(len(data))
    rows: Rows = []
    for index, record in enumerate(data):
        if len(record) != len(CSV_HEADER):
            raise Unprocessable(f"CSV row {index + 1} does not have three fields.")
        sku, warehouse, quantity = record
        rows.append((sku.strip(), warehouse.strip(), _csv_quantity(quantity, index)))
    return rows


def check_length(content_length: str | None) -> None:
    """413 before reading a body announced larger than an import may be."""
    if content_length and content_length.isdigit() and int(content_length) > MAX_IMPORT_BYTES:
        raise PayloadTooLarge(f"An import body holds at most {MAX_IMPORT_BYTES} bytes.")


def parse_import(content_type: str | None, body: bytes) -> tuple[Rows, bool]:
    """The rows of an import body and whether their quantities were schema-checked."""
    if len(body) > MAX_IMPORT_BYTES:
        raise PayloadTooLarge(f"An import body holds at most {MAX_IMPORT_BYTES} bytes.")
    media = (content_type or "").split(";")[0].strip().lower()
    if media == "application/json":
        return _json_rows(body), True
    if media == "text/csv":
        return _csv_rows(body), False
    raise UnsupportedMediaType("Send the import as application/json or text/csv.")
