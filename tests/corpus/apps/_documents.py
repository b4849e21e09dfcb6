"""Documenting a body the handler parses itself (``openapi_extra``), as real apps do."""

from __future__ import annotations

from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError

Model = TypeVar("Model", bound=BaseModel)


def json_body(model: type[BaseModel]) -> dict[str, Any]:
    """``openapi_extra`` for an operation that reads a JSON body of `model` by hand."""
    schema = model.model_json_schema()
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": schema}},
        }
    }


_ERROR_ITEM = {
    "type": "object",
    "required": ["loc", "msg", "type"],
    "properties": {
        "loc": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
        "msg": {"type": "string"},
        "type": {"type": "string"},
    },
}

VALIDATION_ERROR: dict[int | str, dict[str, Any]] = {
    422: {
        "description": "Validation Error",
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {"detail": {"type": "array", "items": _ERROR_ITEM}},
                }
            }
        },
    }
}
"""The 422 FastAPI documents by itself, for operations that parse their body by hand."""


def refuse(errors: list[dict[str, Any]]) -> Any:
    """A FastAPI validation error (422) raised by hand-written validation."""
    from fastapi.exceptions import RequestValidationError

    return RequestValidationError(errors)


async def parse(model: type[Model], request: Request) -> Model | JSONResponse:
    """`model` from a JSON request body, or the answer FastAPI would give (415/422)."""
    raw = await request.body()
    if not raw:
        missing = {"loc": ["body"], "msg": "Field required", "type": "missing"}
        return JSONResponse({"detail": [missing]}, status_code=422)
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media != "application/json":
        return JSONResponse({"detail": "expected application/json"}, status_code=415)
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        errors = [
            {"loc": ["body", *e["loc"]], "msg": e["msg"], "type": e["type"]} for e in exc.errors()
        ]
        return JSONResponse({"detail": errors}, status_code=422)
