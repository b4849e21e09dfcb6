"""`latency_budget_exceeded`: inert without a budget, confirmed before it fires."""

from __future__ import annotations

import time

from fastapi import FastAPI
from tests.checks.bench import Probe
from tests.checks.conftest import MakeBench


def _app(delay: float) -> FastAPI:
    app = FastAPI()

    @app.get("/report")
    def report() -> dict[str, int]:
        time.sleep(delay)
        return {"rows": 1}

    @app.post("/jobs")
    def job() -> dict[str, int]:
        time.sleep(delay)
        return {"id": 1}

    return app


def test_fires_on_a_get_slow_twice(bench: MakeBench) -> None:
    made = bench(_app(0.08), {"latency_budget_ms": 30})
    (found,) = made.fired("latency_budget_exceeded", Probe("GET /report"))
    assert found.evidence["budget_ms"] == 30
    assert found.evidence["again_ms"] > 30


def test_a_slow_post_needs_a_second_slow_exchange(bench: MakeBench) -> None:
    made = bench(_app(0.08), {"latency_budget_ms": 30})
    assert made.fired("latency_budget_exceeded", Probe("POST /jobs")) == []
    (found,) = made.fired("latency_budget_exceeded", Probe("POST /jobs"))
    assert found.operation == "POST /jobs"


def test_silent_without_a_budget_or_within_it(bench: MakeBench) -> None:
    assert bench(_app(0.05)).fired("latency_budget_exceeded", Probe("GET /report")) == []
    fast = bench(_app(0), {"latency_budget_ms": 500})
    assert fast.fired("latency_budget_exceeded", Probe("GET /report")) == []
