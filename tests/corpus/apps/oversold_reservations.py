"""Reservations never compare the quantity asked with the stock left: they oversell.

A product has a stock; a reservation holds a quantity of it. The defect grants every
reservation; the fix refuses (409) one that asks for more than is still available, its
check and its update one step under a lock (claims arrive at once, on several threads).
"""

from __future__ import annotations

import itertools
import threading
from typing import Any

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, Field
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("concurrent_claims_oversold", "POST /reservations")
_GROUP = {
    "name": "oversell",
    "step": "concurrent_claim",
    "group": "POST /reservations:claim:probe",
    "size": 3,
    "mode": "in-process",
    "item": "LAMP-1",
    "item_field": "sku",
    "available": 30,
    "each": 30,
    "quantity_field": "quantity",
    "id_fields": ["id"],
}
_CLAIM = {"lines": [{"sku": "LAMP-1", "quantity": 30}]}
PROBES = (
    Probe("POST /products", body={"sku": "LAMP-1", "stock": 30}),
    *(Probe("POST /reservations", body=_CLAIM, phase="stateful", scenario=_GROUP),) * 3,
)


class ProductIn(BaseModel):
    sku: str = Field(pattern=r"^[A-Z]{3,5}-[0-9]{1,3}$")
    stock: int = Field(ge=10, le=1000)


class Product(ProductIn):
    available: int


class Line(BaseModel):
    sku: str = Field(min_length=1, max_length=20)
    quantity: int = Field(ge=1, le=1000)


class ReservationIn(BaseModel):
    lines: list[Line] = Field(min_length=1, max_length=1)


class Reservation(ReservationIn):
    id: int


class Problem(BaseModel):
    detail: str


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="inventory"))
    products: dict[str, dict[str, Any]] = {}
    reservations: dict[int, dict[str, Any]] = {}
    ids = itertools.count(1)
    lock = threading.Lock()
    missing = {404: {"model": Problem, "description": "No such item"}}
    exists = {409: {"model": Problem, "description": "The SKU already exists"}}
    short = {409: {"model": Problem, "description": "Not enough stock"}}

    @app.post("/products", status_code=201, responses=exists)
    def add(body: ProductIn) -> Product:
        if body.sku in products:
            raise HTTPException(409, "the SKU already exists")
        products[body.sku] = {**body.model_dump(), "available": body.stock}
        return Product(**products[body.sku])

    @app.get("/products/{sku}", responses=missing)
    def product(sku: str) -> Product:
        if sku not in products:
            raise HTTPException(404, "no such product")
        return Product(**products[sku])

    @app.post("/reservations", status_code=201, responses={**missing, **short})
    def reserve(body: ReservationIn) -> Reservation:
        line = body.lines[0]
        item = products.get(line.sku)
        if item is None:
            raise HTTPException(404, "no such product")
        with lock:
            if fixed and item["available"] < line.quantity:
                raise HTTPException(409, "not enough stock")
            item["available"] = max(item["available"] - line.quantity, 0)
        reservation = {"id": next(ids), **body.model_dump()}
        reservations[reservation["id"]] = reservation
        return Reservation(**reservation)

    @app.get("/reservations/{reservation_id}", responses=missing)
    def reservation(reservation_id: int) -> Reservation:
        if reservation_id not in reservations:
            raise HTTPException(404, "no such reservation")
        return Reservation(**reservations[reservation_id])

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
