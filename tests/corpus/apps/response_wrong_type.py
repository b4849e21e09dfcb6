"""A price serialized as a string where the spec documents a number (Decimal → str)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("response_schema_violation", "GET /prices/current")
PROBES = (Probe("GET /prices/current"),)


class Price(BaseModel):
    sku: str
    amount: float
    currency: str


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="prices"))

    @app.get("/prices/current", response_model=None, responses={200: {"model": Price}})
    def current() -> dict[str, Any]:
        amount = Decimal("9.99")
        return {
            "sku": "A-1",
            "amount": float(amount) if fixed else str(amount),
            "currency": "EUR",
        }

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
