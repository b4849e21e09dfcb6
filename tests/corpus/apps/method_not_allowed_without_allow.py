"""A custom HTTP error handler that drops the headers: 405 without Allow."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("undeclared_method", "GET /tags")
PROBES = (Probe("GET /tags", method="PUT", kind="negative", phase="semantics"),)


class Tag(BaseModel):
    name: str = Field(min_length=1, max_length=20)


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="tags"))
    tags = [Tag(name="red")]

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        headers = exc.headers if fixed else None
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=headers)

    @app.get("/tags")
    def list_tags() -> list[Tag]:
        return tags

    @app.post("/tags", status_code=201)
    def add_tag(tag: Tag) -> Tag:
        tags.append(tag)
        return tag

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
