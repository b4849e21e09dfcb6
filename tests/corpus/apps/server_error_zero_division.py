"""An average over a count the spec allows to be zero: division by zero, a 500."""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, Query
from pydantic import BaseModel
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("server_error", "GET /stats/average")
PROBES = (Probe("GET /stats/average", query={"total": 10, "count": 0}),)


class Average(BaseModel):
    average: float


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="stats"))

    @app.get("/stats/average")
    def average(
        total: Annotated[int, Query(ge=0, le=1_000_000)],
        count: Annotated[int, Query(ge=0, le=1_000_000)],
    ) -> Average:
        if fixed and count == 0:
            return Average(average=0.0)
        return Average(average=total / count)

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
