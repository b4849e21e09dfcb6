"""A conversion endpoint that returns Python's own exception text to the client."""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, HTTPException, Query
from pydantic import BaseModel
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("stack_trace_leak", "GET /convert")
PROBES = (Probe("GET /convert", query={"amount": "twelve"}),)


class Converted(BaseModel):
    cents: int


class Problem(BaseModel):
    detail: str


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="convert"))

    @app.get("/convert", responses={400: {"model": Problem}})
    def convert(amount: Annotated[str, Query(min_length=1, max_length=12)]) -> Converted:
        try:
            return Converted(cents=int(amount) * 100)
        except ValueError as exc:
            detail = "amount must be a whole number" if fixed else str(exc)
            raise HTTPException(400, detail) from None

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
