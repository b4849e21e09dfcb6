"""A small inventory provider for the pact tests, with its provider states.

`make_inventory(buggy=True)` answers ``available`` as a string and forgets ``Location``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI, HTTPException, Response
from pydantic import BaseModel

from assay.contract.pact import ProviderStates

STOCK: dict[str, int] = {}

states = ProviderStates()


@states.provider_state("sku RED-CHAIR has stock")
def red_chair_in_stock(sku: str = "RED-CHAIR", available: int = 5) -> Iterator[None]:
    STOCK[sku] = available
    yield
    STOCK.pop(sku, None)


class ReservationIn(BaseModel):
    sku: str
    quantity: int


def make_inventory(*, buggy: bool = False) -> FastAPI:
    app = FastAPI(title="inventory")
    reservations: list[dict[str, Any]] = []

    @app.get("/v1/stock/{sku}")
    def stock(sku: str, detail: str = "short") -> dict[str, Any]:
        if sku not in STOCK:
            raise HTTPException(404, "unknown sku")
        available: Any = str(STOCK[sku]) if buggy else STOCK[sku]
        return {
            "sku": sku,
            "available": available,
            "price": 12.25,
            "updated": "2026-11-25",
            "warehouses": [{"id": 7, "name": "south"}, {"id": 8, "name": "east"}],
            "note": "in stock now",
            "detail": detail,
        }

    @app.post("/v1/reservations", status_code=201)
    def reserve(body: ReservationIn, response: Response) -> dict[str, Any]:
        if body.sku not in STOCK:
            raise HTTPException(409, "no stock")
        reservation = {"id": len(reservations) + 1, **body.model_dump()}
        reservations.append(reservation)
        if not buggy:
            response.headers["Location"] = f"/v1/reservations/{reservation['id']}"
        return reservation

    return app


app = make_inventory()
