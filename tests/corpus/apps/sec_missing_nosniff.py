"""An API whose security middleware forgot ``X-Content-Type-Options: nosniff``."""

from __future__ import annotations

from fastapi import FastAPI
from pydantic import BaseModel
from tests.checks.bench import Probe
from tests.corpus.apps._security import facts, harden

DEFECT = ("missing_content_type_options", "GET /items")
SETTINGS = {"phases": ("security",)}
PROBES = (Probe("GET /items", phase="security", scenario=facts("headers", "representative")),)


class Item(BaseModel):
    name: str


def _app(*, fixed: bool) -> FastAPI:
    app = FastAPI(title="catalogue")
    harden(app, omit=() if fixed else ("X-Content-Type-Options",))

    @app.get("/items", response_model=list[Item])
    def items() -> list[Item]:
        return [Item(name="lamp")]

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
