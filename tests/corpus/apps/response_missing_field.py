"""A list endpoint whose items lack a required field (a column dropped from a query)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("response_schema_violation", "GET /products")
PROBES = (Probe("GET /products"),)


class Product(BaseModel):
    id: int
    name: str
    price: float


_ROWS = [{"id": 1, "name": "Lamp", "price": 19.5}, {"id": 2, "name": "Desk", "price": 120.0}]


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="products"))

    @app.get("/products", response_model=None, responses={200: {"model": list[Product]}})
    def products() -> list[dict[str, Any]]:
        if fixed:
            return _ROWS
        return [{"id": row["id"], "name": row["name"]} for row in _ROWS]

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
