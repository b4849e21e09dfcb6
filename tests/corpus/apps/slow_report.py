"""A report that recomputes everything on each request: 120 ms against a 50 ms budget."""

from __future__ import annotations

import time

from fastapi import FastAPI
from pydantic import BaseModel
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("latency_budget_exceeded", "GET /reports/summary")
SETTINGS = {"latency_budget_ms": 50}
PROBES = (Probe("GET /reports/summary"),)


class Summary(BaseModel):
    orders: int
    revenue: float


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="reports"))
    cached = Summary(orders=12, revenue=340.5)

    @app.get("/reports/summary")
    def summary() -> Summary:
        if not fixed:
            time.sleep(0.12)  # the whole order table, scanned again
        return cached

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
