"""A comment documented as at most 140 characters, accepted at any length (then cut)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from tests.checks.bench import Probe
from tests.corpus.apps._documents import VALIDATION_ERROR, json_body, parse
from tests.corpus.apps._hardening import hardened

DEFECT = ("invalid_input_accepted", "POST /comments")
PROBES = (
    Probe(
        "POST /comments",
        body={"text": "x" * 141},
        kind="negative",
        mutation="body/text: longer than 140",
    ),
)


class Comment(BaseModel):
    text: str = Field(min_length=1, max_length=140)


class LaxComment(BaseModel):
    text: str = Field(min_length=1)


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="comments"))
    model = Comment if fixed else LaxComment

    @app.post(
        "/comments",
        status_code=201,
        openapi_extra=json_body(Comment),
        responses={201: {"model": Comment}, **VALIDATION_ERROR},
        response_model=None,
    )
    async def post(request: Request) -> JSONResponse:
        comment = await parse(model, request)
        if isinstance(comment, JSONResponse):
            return comment
        return JSONResponse({"text": comment.text[:140]}, status_code=201)

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
