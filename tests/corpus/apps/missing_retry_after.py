"""A rate limit whose 429 forgets the Retry-After header the spec promises."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("missing_response_header", "GET /quota")
PROBES = tuple(Probe("GET /quota") for _ in range(4))


class Quota(BaseModel):
    remaining: int


class Limited(BaseModel):
    detail: str


_LIMITED = {
    "model": Limited,
    "headers": {"Retry-After": {"required": True, "schema": {"type": "integer"}}},
}


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="quota"))
    calls = [0]

    @app.get("/quota", response_model=Quota, responses={429: _LIMITED})
    def quota() -> JSONResponse:
        calls[0] += 1
        if calls[0] > 3:
            headers = {"Retry-After": "60"} if fixed else {}
            return JSONResponse({"detail": "slow down"}, status_code=429, headers=headers)
        return JSONResponse({"remaining": 3 - calls[0]})

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
