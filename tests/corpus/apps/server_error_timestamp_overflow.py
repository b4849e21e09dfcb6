"""A timestamp the spec does not bound turned into a date: huge values crash (500)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import FastAPI, HTTPException, Path
from pydantic import BaseModel
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("server_error", "GET /calendar/{timestamp}")
PROBES = (Probe("GET /calendar/{timestamp}", path={"timestamp": 10**15}),)


class Day(BaseModel):
    date: str


class Problem(BaseModel):
    detail: str


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="calendar"))

    @app.get("/calendar/{timestamp}", responses={400: {"model": Problem}})
    def day(timestamp: Annotated[int, Path(ge=0)]) -> Day:
        try:
            moment = datetime.fromtimestamp(timestamp, tz=UTC)
        except (OverflowError, OSError, ValueError):
            if not fixed:
                raise
            raise HTTPException(400, "timestamp out of range") from None
        return Day(date=moment.date().isoformat())

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
