"""A small service that calls a dependency when an order is placed, well or badly.

``caller_app(dependency, policy)`` is a FastAPI app: ``POST /orders`` charges the order
at ``{dependency}/charges`` as `CallPolicy` says — with or without a timeout, with how
many attempts, how long a pause, which Idempotency-Keys, passing X-Request-ID on or
not — and answers 201 when a charge went through, else 202 (pending).
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from typing import Annotated

import httpx2
from fastapi import FastAPI, Header, HTTPException, Response
from pydantic import BaseModel, Field


@dataclass(frozen=True)
class CallPolicy:
    timeout: float | None = 0.2
    attempts: int = 2
    backoff: float = 0.05
    same_key: bool = True
    propagate: bool = True
    """Pass the caller's X-Request-ID on to the dependency."""
    unavailable: int = 202
    """The answer when no charge went through: 202 (pending) or e.g. 503."""


GOOD = CallPolicy()
NO_TIMEOUT = CallPolicy(timeout=None, attempts=1)
STORM = CallPolicy(attempts=6, backoff=0.0, same_key=False, propagate=False)


class OrderIn(BaseModel):
    sku: str = Field(min_length=1, max_length=20)
    qty: int = Field(ge=1, le=5)


class Order(BaseModel):
    id: int
    sku: str
    qty: int
    status: str


def _charge(dependency: str, policy: CallPolicy, order: Order, trace: str | None) -> bool:
    for attempt in range(policy.attempts):
        if attempt:
            time.sleep(policy.backoff * 2**attempt)
        key = f"order-{order.id}" + ("" if policy.same_key else f"-{attempt}")
        headers = {"Idempotency-Key": key, **({"X-Request-ID": trace} if trace else {})}
        try:
            answer = httpx2.post(
                dependency + "/charges",
                json={"order": order.id, "amount": order.qty * 100},
                headers=headers,
                timeout=policy.timeout,
            )
        except httpx2.TransportError:
            continue
        if answer.status_code < 500:
            return True
    return False


def caller_app(dependency: str, policy: CallPolicy = GOOD) -> FastAPI:
    app = FastAPI(title="caller", version="1")
    orders: dict[int, Order] = {}
    ids = itertools.count(1)

    @app.post("/orders", status_code=201, responses={202: {"model": Order}})
    def place(
        body: OrderIn,
        response: Response,
        x_request_id: Annotated[str | None, Header()] = None,
    ) -> Order:
        order = Order(id=next(ids), sku=body.sku, qty=body.qty, status="pending")
        if _charge(dependency, policy, order, x_request_id if policy.propagate else None):
            order.status = "confirmed"
        else:
            response.status_code = policy.unavailable
        orders[order.id] = order
        return order

    @app.get("/orders/{order_id}", responses={404: {"description": "no such order"}})
    def read(order_id: int) -> Order:
        if order_id not in orders:
            raise HTTPException(404, "no such order")
        return orders[order_id]

    return app
