"""A page size documented up to 100, refused above 50 with a validation error."""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, Query
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("valid_input_rejected", "GET /events")
PROBES = (Probe("GET /events", query={"limit": 100}, phase="boundary"),)


class Event(BaseModel):
    id: int
    name: str


_EVENTS = [Event(id=i, name=f"event {i}") for i in range(1, 6)]


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="events"))

    @app.get("/events")
    def events(limit: Annotated[int, Query(ge=1, le=100)] = 10) -> list[Event]:
        if not fixed and limit > 50:
            error = {"loc": ("query", "limit"), "msg": "must be at most 50", "type": "too_big"}
            raise RequestValidationError([error])
        return _EVENTS[:limit]

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
