"""Consumer-driven contract between orders (consumer) and inventory (provider).

The orders service's real HTTP adapter (`HttpInventory`) talks to assay's mock of the
inventory over HTTP on 127.0.0.1; the interactions it needs become the pact
(``pacts/orders-inventory.json``, Pact v3). The same interactions are then replayed
against the real inventory service in-process, its provider states set up through its
own API, the way ``assay contract verify`` does it in the inventory's pipeline.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest

from assay.client import APITestClient
from assay.contract.pact import (
    PactBuilder,
    ProviderStates,
    each_like,
    integer,
    like,
    regex,
    verify_pact,
)
from shop.orders.adapters.over_http import HttpInventory, HttpPeer
from shop.orders.service_layer.ports import StepRejected

SKU = "LAMP-1"
PROVIDER = "inventory"
SERVICE_KEY = {"X-API-Key": regex("svc_orders_key", r"svc_\w+")}


def declare(pact: PactBuilder) -> PactBuilder:
    """What orders needs from inventory: prices, reservations, and the refusal when short."""
    pact.given("LAMP-1 costs 12.99 EUR").upon_receiving("the price of LAMP-1").with_request(
        "GET", f"/v1/prices/{SKU}", headers=SERVICE_KEY
    ).will_respond_with(
        200, body={"sku": SKU, "amount": integer(1299), "currency": regex("EUR", r"[A-Z]{3}")}
    )
    pact.given("LAMP-1 has 10 units in stock").upon_receiving(
        "a reservation of 2 LAMP-1"
    ).with_request(
        "POST",
        "/v1/reservations",
        headers={**SERVICE_KEY, "Idempotency-Key": like("ord_1:reserve")},
        body=_reservation(2),
    ).will_respond_with(
        201,
        headers={"Location": regex("/v1/reservations/res_1", r"/v1/reservations/\S+")},
        body={"id": like("res_1"), "order_id": "ord_1", "status": "pending"},
    )
    pact.given("LAMP-1 has 10 units in stock").upon_receiving(
        "a reservation of 50 LAMP-1"
    ).with_request(
        "POST",
        "/v1/reservations",
        headers={**SERVICE_KEY, "Idempotency-Key": like("ord_2:reserve")},
        body=_reservation(50, order="ord_2"),
    ).will_respond_with(
        409,
        headers={"Content-Type": "application/problem+json"},
        body={"type": like("https://shop.example/problems/x"), "status": 409},
    )
    return pact


def _reservation(quantity: int, order: str = "ord_1") -> dict[str, Any]:
    return {
        "order_id": order,
        "lines": each_like({"sku": SKU, "quantity": integer(quantity)}),
        "ttl_seconds": integer(900),
    }


def test_orders_uses_inventory_as_the_pact_says(
    assay_pact: Any,
    pact_dir: Path,
    peer: Callable[[str, str], AbstractContextManager[HttpPeer]],
) -> None:
    pact = declare(assay_pact("orders", "inventory", pact_dir=pact_dir))
    with pact.serve() as url, peer("inventory", url) as http:
        inventory = HttpInventory(http)
        assert inventory.price_of(SKU) == (1299, "EUR")
        assert inventory.reserve("ord_1", [(SKU, 2)]) == "res_1"
        with pytest.raises(StepRejected):
            inventory.reserve("ord_2", [(SKU, 50)])


# -- provider side --------------------------------------------------------------------------


def _states(api: APITestClient, logged_in: Callable[[], dict[str, str]]) -> ProviderStates:
    states = ProviderStates()

    @states.provider_state("LAMP-1 costs 12.99 EUR")
    def priced() -> None:
        product = {"sku": SKU, "name": "Lamp", "price": {"amount": 1299, "currency": "EUR"}}
        answer = api.post("/v2/products", json=product, headers=logged_in(), validate=False)
        assert answer.status_code in (201, 409), answer.text

    @states.provider_state("LAMP-1 has 10 units in stock")
    def stocked() -> None:
        priced()
        rows = {"rows": [{"sku": SKU, "warehouse": "east", "quantity": 10}]}
        answer = api.post("/v1/stock/imports", json=rows, headers=logged_in(), validate=False)
        assert answer.status_code == 200, answer.text

    return states


def test_inventory_honours_the_pact_of_orders(
    provider: APITestClient, orders_key: dict[str, str], staff: Callable[[], dict[str, str]]
) -> None:
    pact = declare(PactBuilder("orders", "inventory")).pact()
    outcome = verify_pact(pact, provider, states=_states(provider, staff), headers=orders_key)
    assert outcome.ok, outcome.render()
