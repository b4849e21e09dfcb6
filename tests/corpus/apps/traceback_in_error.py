"""A schedule parser that answers a bad cron expression with the full traceback."""

from __future__ import annotations

import traceback

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("stack_trace_leak", "POST /schedules")
PROBES = (Probe("POST /schedules", body={"cron": "every day"}),)


class ScheduleIn(BaseModel):
    cron: str = Field(min_length=1, max_length=60)


class Schedule(BaseModel):
    fields: list[str]


class Problem(BaseModel):
    detail: str


def _fields(cron: str) -> list[str]:
    parts = cron.split()
    if len(parts) != 5:
        raise ValueError(f"expected 5 fields, got {len(parts)}")
    return parts


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="schedules"))

    @app.post("/schedules", response_model=Schedule, responses={400: {"model": Problem}})
    def create(schedule: ScheduleIn) -> JSONResponse:
        try:
            fields = _fields(schedule.cron)
        except ValueError as exc:
            detail = str(exc) if fixed else traceback.format_exc()
            return JSONResponse({"detail": detail}, status_code=400)
        return JSONResponse({"fields": fields})

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
