"""Concurrent claims on a limited stock: what is claimed, the amount read, the race."""

from __future__ import annotations

import contextlib
import itertools
import threading
import time
from typing import Any

import pytest
from fastapi import FastAPI, HTTPException
from tests.corpus.apps import oversold_reservations
from tests.serving import serve

from assay.engine import RunSettings, run_engine
from assay.generation.capacity import available_amount, claim_target


def test_the_claim_is_the_object_naming_a_created_item_with_a_quantity() -> None:
    known = {"sku": ["A-1"]}
    body = {"order_id": "o", "lines": [{"sku": "A-1", "quantity": 1}]}
    assert claim_target(body, known) == ("sku", "A-1", "quantity")
    assert claim_target({"sku": "A-1", "qty": 3}, known) == ("sku", "A-1", "qty")
    assert claim_target({"lines": [{"sku": "other", "quantity": 1}]}, known) is None
    assert claim_target({"sku": "A-1", "note": "x"}, known) is None


def test_the_available_amount_sums_the_best_named_fields() -> None:
    stock = {"sku": "A", "stock": [{"on_hand": 5, "available": 3}, {"on_hand": 4, "available": 4}]}
    assert available_amount(stock) == 7
    assert available_amount({"on_hand": 9}) == 9
    assert available_amount({"name": "lamp", "available": True}) is None


def _run(target: Any) -> set[tuple[str, str | None]]:
    settings = RunSettings(
        phases=("stateful",), checks=("concurrent_claims_oversold",), seed=1, max_examples=5
    )
    result = run_engine(target, settings=settings)
    assert not result.internal_errors
    return {(f.check, f.operation) for f in result.findings}


def test_sequential_overselling_is_found_in_process() -> None:
    found = _run(oversold_reservations.defective())
    assert found == {("concurrent_claims_oversold", "POST /reservations")}
    assert _run(oversold_reservations.clean()) == set()


def _racy(*, locked: bool) -> FastAPI:
    """Reservations that check the stock, pause, then take it: atomic only with the lock."""
    app = FastAPI()
    stock: dict[str, int] = {}
    lock = threading.Lock()
    ids = itertools.count(1)
    short = {409: {"description": "Not enough stock"}, 404: {"description": "No such item"}}

    @app.post("/products", status_code=201, responses={409: {"description": "Exists"}})
    def add(body: oversold_reservations.ProductIn) -> oversold_reservations.Product:
        if body.sku in stock:
            raise HTTPException(409, "exists")
        stock[body.sku] = body.stock
        return oversold_reservations.Product(**body.model_dump(), available=body.stock)

    @app.get("/products/{sku}", responses={404: {"description": "No such item"}})
    def read(sku: str) -> oversold_reservations.Product:
        if sku not in stock:
            raise HTTPException(404, "no such product")
        return oversold_reservations.Product(
            sku=sku, stock=max(stock[sku], 10), available=stock[sku]
        )

    @app.post("/reservations", status_code=201, responses=short)
    def reserve(body: oversold_reservations.ReservationIn) -> dict[str, Any]:
        line = body.lines[0]
        with lock if locked else contextlib.nullcontext():
            if stock.get(line.sku, -1) < line.quantity:
                raise HTTPException(409, "not enough stock")
            time.sleep(0.05)
            stock[line.sku] -= line.quantity
        return {"id": next(ids), **body.model_dump()}

    @app.get("/reservations/{reservation_id}", responses={404: {"description": "No such item"}})
    def reservation(reservation_id: int) -> dict[str, Any]:
        raise HTTPException(404, "gone")

    return app


@pytest.mark.parametrize("locked", [False, True])
@pytest.mark.parametrize("live", [True, False])
def test_a_race_is_found_and_an_atomic_claim_is_not(locked: bool, live: bool) -> None:
    app = _racy(locked=locked)
    with serve(app) if live else contextlib.nullcontext(app) as target:
        found = _run(target)
    expected = set() if locked else {("concurrent_claims_oversold", "POST /reservations")}
    assert found == expected


def test_bursts_go_on_while_claims_are_granted_and_half_of_each_fits_at_most() -> None:
    from assay.engine.runner import Engine, open_client
    from assay.generation.capacity import BURSTS, CLAIMS, MOST_CLAIMS

    settings = RunSettings(phases=("stateful",), checks=("concurrent_claims_oversold",), seed=1)
    client, label = open_client(_racy(locked=True), settings)
    bursts: list[tuple[int, int]] = []
    with client:
        engine = Engine(client, settings, target=label)
        together = engine.execute_together

        def keep(cases: Any) -> Any:
            facts = cases[0].scenario or {}
            if facts.get("step") == "concurrent_claim":
                bursts.append((facts["available"], facts["each"], facts["size"]))
            return together(cases)

        engine.execute_together = keep  # type: ignore[method-assign]
        assert engine.run().findings == []
    assert 1 < len(bursts) <= BURSTS
    assert [size for _, _, size in bursts] == [CLAIMS] + [MOST_CLAIMS] * (len(bursts) - 1)
    for available, each, size in bursts:
        assert 1 <= available // each <= size // 2  # at most half of the burst fits
    for (available, each, _), (left, _, _) in itertools.pairwise(bursts):
        assert left == available % each  # the correct app granted every claim that fit
