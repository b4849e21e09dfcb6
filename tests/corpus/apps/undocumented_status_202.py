"""The spec promises 201 Created; the handler answers 202 Accepted."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("undocumented_status_code", "POST /jobs")
PROBES = (Probe("POST /jobs", body={"name": "nightly"}),)


class JobIn(BaseModel):
    name: str = Field(min_length=1, max_length=40)


class Job(BaseModel):
    id: int
    name: str


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="jobs"))
    created: list[int] = []

    @app.post("/jobs", status_code=201, response_model=Job)
    def submit(job: JobIn) -> JSONResponse:
        created.append(len(created) + 1)
        body = {"id": created[-1], "name": job.name}
        return JSONResponse(body, status_code=201 if fixed else 202)

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
