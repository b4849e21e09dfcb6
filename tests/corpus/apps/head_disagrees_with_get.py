"""A hand-written HEAD route that says every file exists, while GET says 404."""

from __future__ import annotations

from fastapi import FastAPI, HTTPException, Response
from pydantic import BaseModel
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("head_mismatch", "GET /files/{name}")
PROBES = (Probe("GET /files/{name}", path={"name": "nothing"}, method="HEAD", phase="semantics"),)


class File(BaseModel):
    name: str
    size: int


class Missing(BaseModel):
    detail: str


_FILES = {"readme": File(name="readme", size=120)}


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="files"))

    @app.get("/files/{name}", responses={404: {"model": Missing}})
    def read(name: str) -> File:
        if name not in _FILES:
            raise HTTPException(404, "no such file")
        return _FILES[name]

    @app.head("/files/{name}", include_in_schema=False)
    def exists(name: str) -> Response:
        if fixed and name not in _FILES:
            return Response(status_code=404, media_type="application/json")
        return Response(status_code=200, media_type="application/json")

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
