"""An order declined at payment keeps the stock it reserved: the refusal leaves a trace.

Placing an order reserves its quantity of the product, then charges the payment
method; ``tok_declined`` (documented as an example next to the default ``tok_ok``) is
declined with 402. The fix gives the reservation back before answering.
"""

from __future__ import annotations

import itertools
from typing import Any

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, Field
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("refused_request_left_changes", "GET /products/{sku}")
_BEFORE = {"sku": "LAMP-1", "name": "lamp", "stock": 20, "reserved": 0}
PROBES = (
    Probe("POST /products", body={"sku": "LAMP-1", "name": "lamp", "stock": 20}),
    Probe(
        "POST /orders",
        body={"sku": "LAMP-1", "qty": 2, "payment_method": "tok_declined"},
        phase="stateful",
    ),
    Probe(
        "GET /products/{sku}",
        path={"sku": "LAMP-1"},
        phase="stateful",
        scenario={
            "name": "refusal",
            "step": "read_after_refusal",
            "refused": "POST /orders",
            "refused_status": 402,
            "variant": "payment_method='tok_declined'",
            "before": _BEFORE,
            "resource": "/products/{sku}",
        },
    ),
)


class ProductIn(BaseModel):
    sku: str = Field(pattern=r"^[A-Z]{3,5}-[0-9]{1,3}$")
    name: str = Field(min_length=1, max_length=30)
    stock: int = Field(ge=20, le=100)


class Product(ProductIn):
    stock: int
    reserved: int


class OrderIn(BaseModel):
    sku: str = Field(min_length=1, max_length=20)
    qty: int = Field(ge=1, le=3)
    payment_method: str = Field(
        default="tok_ok", pattern=r"^tok_[a-z]+$", examples=["tok_ok", "tok_declined"]
    )


class Order(OrderIn):
    id: int


class Problem(BaseModel):
    detail: str


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="orders"))
    products: dict[str, dict[str, Any]] = {}
    orders: dict[int, dict[str, Any]] = {}
    ids = itertools.count(1)
    exists = {409: {"model": Problem, "description": "The SKU already exists"}}
    missing = {404: {"model": Problem, "description": "No such item"}}
    refused = {402: {"model": Problem, "description": "Payment declined"}}
    short = {409: {"model": Problem, "description": "Not enough stock"}}

    @app.post("/products", status_code=201, responses=exists)
    def add(body: ProductIn) -> Product:
        if body.sku in products:
            raise HTTPException(409, "the SKU already exists")
        products[body.sku] = {**body.model_dump(), "reserved": 0}
        return Product(**products[body.sku])

    @app.get("/products/{sku}", responses=missing)
    def product(sku: str) -> Product:
        if sku not in products:
            raise HTTPException(404, "no such product")
        return Product(**products[sku])

    @app.post("/orders", status_code=201, responses={**missing, **refused, **short})
    def place(body: OrderIn) -> Order:
        item = products.get(body.sku)
        if item is None:
            raise HTTPException(404, "no such product")
        if item["stock"] - item["reserved"] < body.qty:
            raise HTTPException(409, "not enough stock")
        item["reserved"] += body.qty
        if body.payment_method == "tok_declined":
            if fixed:
                item["reserved"] -= body.qty
            raise HTTPException(402, "payment declined")
        order = {"id": next(ids), **body.model_dump()}
        orders[order["id"]] = order
        return Order(**order)

    @app.get("/orders/{order_id}", responses=missing)
    def order(order_id: int) -> Order:
        if order_id not in orders:
            raise HTTPException(404, "no such order")
        return Order(**orders[order_id])

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
