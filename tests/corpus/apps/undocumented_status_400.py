"""A business limit answered with a 400 that the spec never mentions."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, Field
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("undocumented_status_code", "POST /orders")
SAME_SPEC = False
PROBES = (Probe("POST /orders", body={"sku": "A-1", "quantity": 500}),)


class OrderIn(BaseModel):
    sku: str = Field(min_length=1, max_length=20)
    quantity: int = Field(ge=1, le=1000)


class Order(BaseModel):
    sku: str
    quantity: int


class Problem(BaseModel):
    detail: str


def _app(*, documented: bool) -> FastAPI:
    app = hardened(FastAPI(title="orders"))
    responses: dict[int | str, Any] = {400: {"model": Problem}} if documented else {}

    @app.post("/orders", status_code=201, responses=responses)
    def place(order: OrderIn) -> Order:
        if order.quantity > 100:
            raise HTTPException(400, "orders above 100 units need a sales contact")
        return Order(sku=order.sku, quantity=order.quantity)

    return app


def defective() -> FastAPI:
    return _app(documented=False)


def clean() -> FastAPI:
    return _app(documented=True)
