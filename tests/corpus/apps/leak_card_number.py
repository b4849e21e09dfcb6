"""A payment read that returns the full card number instead of its last four digits."""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, HTTPException, Path
from pydantic import BaseModel
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("card_number_exposed", "GET /payments/{payment_id}")
PROBES = (Probe("GET /payments/{payment_id}", path={"payment_id": 7}),)

_CARDS = {7: "4539 1488 0343 6467", 8: "5555 5555 5555 4444"}


class Payment(BaseModel):
    id: int
    amount_minor: int
    card: str


class Missing(BaseModel):
    detail: str


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="payments"))

    @app.get("/payments/{payment_id}", responses={404: {"model": Missing}})
    def read(payment_id: Annotated[int, Path(ge=1, examples=[7])]) -> Payment:
        card = _CARDS.get(payment_id)
        if card is None:
            raise HTTPException(404, "no such payment")
        shown = f"**** **** **** {card[-4:]}" if fixed else card
        return Payment(id=payment_id, amount_minor=1299, card=shown)

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
