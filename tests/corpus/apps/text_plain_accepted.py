"""A JSON endpoint that parses any body as JSON: text/plain gets in (a CSRF vector)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError
from tests.checks.bench import Probe
from tests.corpus.apps._documents import VALIDATION_ERROR, json_body, parse
from tests.corpus.apps._hardening import hardened

DEFECT = ("unsupported_media_type_accepted", "POST /messages")
PROBES = (
    Probe(
        "POST /messages",
        raw_body=b'{"to": "ben", "text": "hi"}',
        media_type="text/plain",
        kind="negative",
        phase="boundary",
        mutation="Content-Type text/plain is not accepted",
    ),
)


class Message(BaseModel):
    to: str = Field(min_length=1, max_length=20)
    text: str = Field(min_length=1, max_length=200)


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="messages"))

    @app.post(
        "/messages",
        status_code=201,
        openapi_extra=json_body(Message),
        responses={201: {"model": Message}, **VALIDATION_ERROR},
        response_model=None,
    )
    async def send(request: Request) -> JSONResponse:
        if fixed:
            parsed = await parse(Message, request)
            if isinstance(parsed, JSONResponse):
                return parsed
            return JSONResponse(parsed.model_dump(), status_code=201)
        try:
            message = Message.model_validate_json(await request.body())
        except ValidationError:
            errors = [{"loc": ["body"], "msg": "invalid message", "type": "value_error"}]
            return JSONResponse({"detail": errors}, status_code=422)
        return JSONResponse(message.model_dump(), status_code=201)

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
