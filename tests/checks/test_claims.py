"""`concurrent_claims_oversold` on a group: what counts as granted."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI, HTTPException, Response
from pydantic import BaseModel
from tests.checks.bench import Bench, Probe


class ClaimIn(BaseModel):
    order_id: str
    sku: str
    quantity: int


def _app(*, oversell: bool = False) -> FastAPI:
    """One unit of LAMP-1 left; order ``old`` already holds a reservation of one unit."""
    app = FastAPI()
    held = {"old": {"id": 1, "order_id": "old", "sku": "LAMP-1", "quantity": 1}}
    stock = {"LAMP-1": 1}
    ids = itertools.count(2)
    existing = {200: {"description": "The order's existing reservation (a retry)"}}

    @app.post("/reservations", status_code=201, responses={**existing, 409: {"description": "x"}})
    def reserve(body: ClaimIn, response: Response) -> dict[str, Any]:
        if body.order_id in held:
            response.status_code = 200
            return held[body.order_id]
        if stock[body.sku] < body.quantity and not oversell:
            raise HTTPException(409, "not enough stock")
        stock[body.sku] -= body.quantity
        held[body.order_id] = {"id": next(ids), **body.model_dump()}
        return held[body.order_id]

    return app


@pytest.fixture
def bench() -> Iterator[Bench]:
    made = Bench(_app())
    yield made
    made.close()


def _group(created: int | None = 201) -> tuple[Probe, ...]:
    facts = {
        "name": "oversell",
        "step": "concurrent_claim",
        "group": f"POST /reservations:claim:{created}",
        "size": 3,
        "mode": "in-process",
        "item": "LAMP-1",
        "item_field": "sku",
        "available": 1,
        "each": 1,
        "quantity_field": "quantity",
        "id_fields": ["id"],
        "created": created,
    }
    return tuple(
        Probe(
            "POST /reservations",
            body={"order_id": order, "sku": "LAMP-1", "quantity": 1},
            phase="stateful",
            scenario=facts,
        )
        for order in ("old", "new", "late")
    )


def test_a_200_to_a_creation_that_documents_201_hands_back_an_existing_one(bench: Bench) -> None:
    assert bench.fired("concurrent_claims_oversold", *_group()) == []


def test_two_claims_created_on_one_unit_oversell() -> None:
    bench = Bench(_app(oversell=True))
    try:
        [finding] = bench.fired("concurrent_claims_oversold", *_group())
    finally:
        bench.close()
    assert "2 claims of 1 were granted on 1 available" in finding.title


def test_without_a_documented_201_every_2xx_is_a_grant(bench: Bench) -> None:
    [finding] = bench.fired("concurrent_claims_oversold", *_group(created=None))
    assert "2 claims of 1 were granted on 1 available" in finding.title
