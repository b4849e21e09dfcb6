"""One operation answers RFC 9457 problem+json while the rest use FastAPI's {"detail": ...}."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, HTTPException
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("inconsistent_error_format", "GET /invoices/{invoice_id}")
SAME_SPEC = False
PROBES = (
    Probe("GET /orders/{order_id}", path={"order_id": 5}),
    Probe("GET /refunds/{refund_id}", path={"refund_id": 5}),
    Probe("GET /invoices/{invoice_id}", path={"invoice_id": 5}),
)


class Item(BaseModel):
    id: int


class Missing(BaseModel):
    detail: str


_PROBLEM = {
    "description": "Not found",
    "content": {
        "application/problem+json": {
            "schema": {
                "type": "object",
                "properties": {
                    "type": {"type": "string"},
                    "title": {"type": "string"},
                    "status": {"type": "integer"},
                },
            }
        }
    },
}


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="billing"))

    @app.get("/orders/{order_id}", responses={404: {"model": Missing}})
    def order(order_id: int) -> Item:
        raise HTTPException(404, "no such order")

    @app.get("/refunds/{refund_id}", responses={404: {"model": Missing}})
    def refund(refund_id: int) -> Item:
        raise HTTPException(404, "no such refund")

    documented: dict[int | str, Any] = {404: {"model": Missing} if fixed else _PROBLEM}

    @app.get("/invoices/{invoice_id}", response_model=Item, responses=documented)
    def invoice(invoice_id: int) -> JSONResponse:
        if fixed:
            return JSONResponse({"detail": "no such invoice"}, status_code=404)
        problem = {"type": "about:blank", "title": "Not Found", "status": 404}
        return JSONResponse(problem, status_code=404, media_type="application/problem+json")

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
