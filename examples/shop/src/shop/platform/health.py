"""Liveness and readiness.

``/healthz`` answers 200 while the process runs (no dependency is touched: a restart
would not fix a database outage). ``/readyz`` checks the database, the bus and every
downstream service's ``/healthz``; any failure is a 503 problem naming what failed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from fastapi import APIRouter
from pydantic import BaseModel

from shop.platform.problems import ServiceUnavailable, problem_responses

ReadinessCheck = Callable[[], bool]


class Liveness(BaseModel):
    status: str = "ok"


class Readiness(BaseModel):
    status: str
    checks: dict[str, str]


def run_checks(checks: Mapping[str, ReadinessCheck]) -> dict[str, str]:
    """``{"database": "ok", "bus": "failed", ...}``; a check that raises has failed."""
    results: dict[str, str] = {}
    for name, check in checks.items():
        try:
            results[name] = "ok" if check() else "failed"
        except Exception:
            results[name] = "failed"
    return results


def build_health_router(checks: Callable[[], Mapping[str, ReadinessCheck]]) -> APIRouter:
    """The ``/healthz`` and ``/readyz`` routes; ``checks`` is read at each request."""
    router = APIRouter(tags=["operations"])

    @router.get("/healthz", response_model=Liveness, summary="Liveness", operation_id="healthz")
    def healthz() -> Liveness:
        """The process is up and serving requests."""
        return Liveness()

    @router.get(
        "/readyz",
        response_model=Readiness,
        summary="Readiness",
        operation_id="readyz",
        responses=problem_responses(503),
    )
    def readyz() -> Readiness:
        """Database, bus and downstream services are reachable."""
        results = run_checks(checks())
        failed = sorted(name for name, state in results.items() if state != "ok")
        if failed:
            raise ServiceUnavailable(
                "Not ready: " + ", ".join(failed) + " unavailable.",
                checks=results,
                failed=failed,
                headers={"Retry-After": "5"},
            )
        return Readiness(status="ready", checks=results)

    return router
