"""A handler that parses its JSON body by hand and lets a decoding error escape (500)."""

from __future__ import annotations

import json

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError
from tests.checks.bench import Probe
from tests.corpus.apps._documents import VALIDATION_ERROR, json_body, parse
from tests.corpus.apps._hardening import hardened

DEFECT = ("server_error", "POST /imports")
PROBES = (
    Probe(
        "POST /imports",
        raw_body=b'{"rows": [1, 2',
        media_type="application/json",
        kind="negative",
        phase="boundary",
    ),
)


class Import(BaseModel):
    rows: list[int] = Field(max_length=100)


class Imported(BaseModel):
    count: int


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="imports"))

    @app.post(
        "/imports",
        openapi_extra=json_body(Import),
        responses={200: {"model": Imported}, **VALIDATION_ERROR},
        response_model=None,
    )
    async def create_import(request: Request) -> JSONResponse:
        if fixed:
            parsed = await parse(Import, request)
            if isinstance(parsed, JSONResponse):
                return parsed
            return JSONResponse({"count": len(parsed.rows)})
        if request.headers.get("content-type") != "application/json":
            return JSONResponse({"detail": "expected application/json"}, status_code=415)
        payload = json.loads(await request.body())  # a malformed body escapes as a 500
        try:
            data = Import.model_validate(payload)
        except ValidationError:
            errors = [{"loc": ["body"], "msg": "invalid body", "type": "value_error"}]
            return JSONResponse({"detail": errors}, status_code=422)
        return JSONResponse({"count": len(data.rows)})

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
