"""Prerequisites: a creation no read follows is made first when other bodies need its id."""

from __future__ import annotations

import itertools
from typing import Any

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, Field

from assay.engine import RunSettings, run_engine


class CustomerIn(BaseModel):
    name: str = Field(min_length=1, max_length=30)


class OrderIn(BaseModel):
    customer_id: int
    note: str = Field(min_length=1, max_length=30)


def _app() -> FastAPI:
    app = FastAPI()
    customers: dict[int, dict[str, Any]] = {}
    orders: dict[int, dict[str, Any]] = {}
    ids = itertools.count(1)

    @app.post("/customers", status_code=201)
    def add(body: CustomerIn) -> dict[str, Any]:
        customer = {"id": next(ids), **body.model_dump()}
        customers[customer["id"]] = customer
        return customer

    @app.post("/orders", status_code=201, responses={422: {"description": "Unknown customer"}})
    def place(body: OrderIn) -> dict[str, Any]:
        if body.customer_id not in customers:
            raise HTTPException(422, "unknown customer")
        order = {"id": next(ids), **body.model_dump()}
        orders[order["id"]] = order
        return order

    @app.get("/orders/{order_id}", responses={404: {"description": "No such order"}})
    def read(order_id: int) -> dict[str, Any]:
        if order_id not in orders:
            raise HTTPException(404, "no such order")
        return orders[order_id]

    return app


def test_the_customer_is_created_first_and_the_order_names_it() -> None:
    sent: list[tuple[str, int]] = []
    app = _app()

    @app.middleware("http")
    async def record(request: Any, call_next: Any) -> Any:
        response = await call_next(request)
        sent.append((f"{request.method} {request.url.path}", response.status_code))
        return response

    settings = RunSettings(phases=("stateful",), checks=("server_error",), seed=1, max_examples=5)
    result = run_engine(app, settings=settings)
    assert not result.internal_errors
    labels = [label for label, status in sent if status == 201]
    assert labels[0] == "POST /customers"
    assert "POST /orders" in labels
