"""A JSON operation that answers in text/plain."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from pydantic import BaseModel
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("undocumented_content_type", "GET /version")
PROBES = (Probe("GET /version"),)


class Version(BaseModel):
    version: str


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="version"))

    @app.get("/version", response_model=Version)
    def version() -> Response:
        if fixed:
            return JSONResponse({"version": "1.4.2"})
        return PlainTextResponse("1.4.2")

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
