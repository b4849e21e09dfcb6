"""Refunds are checked against the authorized amount, not the captured one.

A payment is authorized, captured (all of it by default, or part), and refunded in
parts. The defect lets refunds add up to the authorized amount even when less was
captured; the fix refuses (409) any refund that would take the refunded total above
the captured total.
"""

from __future__ import annotations

import itertools
from typing import Any

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, Field
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("refund_exceeds_capture", "POST /payments/{payment_id}/refunds")
PROBES = (
    Probe("POST /payments", body={"amount": 100}),
    Probe("POST /payments/{payment_id}/capture", path={"payment_id": "1"}, body={"amount": 60}),
    Probe(
        "POST /payments/{payment_id}/refunds",
        path={"payment_id": "1"},
        body={"amount": 61},
        phase="stateful",
        scenario={
            "name": "refund_bound",
            "step": "refund_beyond_capture",
            "resource": "/payments/{payment_id}",
            "bound_field": "captured",
            "bound": 60,
            "asked": 61,
        },
    ),
)


class PaymentIn(BaseModel):
    amount: int = Field(ge=1, le=100_000)


class CaptureIn(BaseModel):
    amount: int | None = Field(default=None, ge=1, le=100_000)


class RefundIn(BaseModel):
    amount: int = Field(ge=1, le=100_000)


class Payment(BaseModel):
    id: str
    amount: int
    captured: int
    refunded: int


class Refund(BaseModel):
    id: str
    amount: int


class Problem(BaseModel):
    detail: str


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="payments"))
    payments: dict[str, dict[str, Any]] = {}
    ids = itertools.count(1)
    missing = {404: {"model": Problem, "description": "No such payment"}}
    refused = {409: {"model": Problem, "description": "Not possible in this state"}}

    def load(payment_id: str) -> dict[str, Any]:
        if payment_id not in payments:
            raise HTTPException(404, "no such payment")
        return payments[payment_id]

    @app.post("/payments", status_code=201)
    def authorize(body: PaymentIn) -> Payment:
        payment = {"id": str(next(ids)), "amount": body.amount, "captured": 0, "refunded": 0}
        payments[payment["id"]] = payment
        return Payment(**payment)

    @app.get("/payments/{payment_id}", responses=missing)
    def read(payment_id: str) -> Payment:
        return Payment(**load(payment_id))

    @app.post("/payments/{payment_id}/capture", responses={**missing, **refused})
    def capture(payment_id: str, body: CaptureIn) -> Payment:
        payment = load(payment_id)
        amount = payment["amount"] if body.amount is None else body.amount
        if payment["captured"] or amount > payment["amount"]:
            raise HTTPException(409, "cannot capture that")
        payment["captured"] = amount
        return Payment(**payment)

    @app.post("/payments/{payment_id}/refunds", status_code=201, responses={**missing, **refused})
    def refund(payment_id: str, body: RefundIn) -> Refund:
        payment = load(payment_id)
        limit = payment["captured"] if fixed else payment["amount"]
        if payment["refunded"] + body.amount > limit:
            raise HTTPException(409, "refunds may not exceed the captured amount")
        payment["refunded"] += body.amount
        return Refund(id=f"{payment_id}-r{payment['refunded']}", amount=body.amount)

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
