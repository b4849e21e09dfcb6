"""An API that names its server software and version in every answer."""

from __future__ import annotations

from fastapi import FastAPI
from pydantic import BaseModel
from tests.checks.bench import Probe
from tests.corpus.apps._security import facts, harden

DEFECT = ("server_version_disclosure", "GET /status")
SETTINGS = {"phases": ("security",)}
PROBES = (Probe("GET /status", phase="security", scenario=facts("headers", "representative")),)


class Status(BaseModel):
    ok: bool


def _app(*, fixed: bool) -> FastAPI:
    app = FastAPI(title="status")
    server = "uvicorn" if fixed else "nginx/1.18.0 (Ubuntu)"
    harden(app, extra={"Server": server})

    @app.get("/status", response_model=Status)
    def status() -> Status:
        return Status(ok=True)

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
