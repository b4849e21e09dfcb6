"""A custom validation handler answers 400, while the spec (FastAPI's) promises 422."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("undocumented_status_code", "POST /addresses")
PROBES = (
    Probe(
        "POST /addresses",
        body={"street": "", "city": "Lyon"},
        kind="negative",
        mutation="body/street: shorter than 1",
    ),
)


class Address(BaseModel):
    street: str = Field(min_length=1, max_length=80)
    city: str = Field(min_length=1, max_length=40)


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="addresses"))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
        return JSONResponse({"detail": errors}, status_code=422 if fixed else 400)

    @app.post("/addresses", status_code=201)
    def add(address: Address) -> Address:
        return address

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
