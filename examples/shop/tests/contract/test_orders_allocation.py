"""Consumer-driven contract between orders (consumer) and allocation (provider).

Orders allocates each order line to a batch (``POST /v1/allocations``, safe to retry)
and gives it back when the saga compensates (``DELETE /v1/allocations/{order}/{sku}``).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest

from assay.client import APITestClient
from assay.contract.pact import PactBuilder, ProviderStates, integer, like, regex, verify_pact
from shop.orders.adapters.over_http import HttpAllocation, HttpPeer
from shop.orders.service_layer.ports import StepRejected

PROVIDER = "allocation"
KEY = {"X-API-Key": regex("svc_orders_key", r"svc_\w+")}
BATCH = {"reference": "lamp-stock", "sku": "LAMP-1", "quantity": 10}


def declare(pact: PactBuilder) -> PactBuilder:
    pact.given("batch lamp-stock holds 10 LAMP-1").upon_receiving(
        "an allocation of 2 LAMP-1"
    ).with_request(
        "POST",
        "/v1/allocations",
        headers={**KEY, "Idempotency-Key": like("ord_1:LAMP-1")},
        body={"order_id": "ord_1", "sku": "LAMP-1", "quantity": integer(2)},
    ).will_respond_with(201, body={"batch_reference": like("lamp-stock")})
    pact.upon_receiving("an allocation of an unknown SKU").with_request(
        "POST",
        "/v1/allocations",
        headers={**KEY, "Idempotency-Key": like("ord_2:NOPE-1")},
        body={"order_id": "ord_2", "sku": "NOPE-1", "quantity": integer(1)},
    ).will_respond_with(
        404,
        headers={"Content-Type": "application/problem+json"},
        body={"type": like("https://shop.example/problems/not-found"), "status": 404},
    )
    pact.given("2 LAMP-1 are allocated to ord_1").upon_receiving(
        "a deallocation of ord_1's LAMP-1"
    ).with_request("DELETE", "/v1/allocations/ord_1/LAMP-1", headers=KEY).will_respond_with(204)
    return pact


def test_orders_allocates_as_the_pact_says(
    assay_pact: Any,
    pact_dir: Path,
    peer: Callable[[str, str], AbstractContextManager[HttpPeer]],
) -> None:
    pact = declare(assay_pact("orders", "allocation", pact_dir=pact_dir))
    with pact.serve() as url, peer("allocation", url) as http:
        allocation = HttpAllocation(http)
        assert allocation.allocate("ord_1", "LAMP-1", 2) == "lamp-stock"
        with pytest.raises(StepRejected):
            allocation.allocate("ord_2", "NOPE-1", 1)
        allocation.deallocate("ord_1", "LAMP-1")


def _states(
    api: APITestClient, staff: Callable[[], dict[str, str]], key: dict[str, str]
) -> ProviderStates:
    states = ProviderStates()

    @states.provider_state("batch lamp-stock holds 10 LAMP-1")
    def batch() -> None:
        answer = api.post("/v1/batches", json=BATCH, headers=staff(), validate=False)
        assert answer.status_code in (201, 409), answer.text

    @states.provider_state("2 LAMP-1 are allocated to ord_1")
    def allocated() -> None:
        batch()
        line = {"order_id": "ord_1", "sku": "LAMP-1", "quantity": 2}
        answer = api.post("/v1/allocations", json=line, headers=key, validate=False)
        assert answer.status_code in (200, 201), answer.text

    return states


def test_allocation_honours_the_pact_of_orders(
    provider: APITestClient, orders_key: dict[str, str], staff: Callable[[], dict[str, str]]
) -> None:
    pact = declare(PactBuilder("orders", "allocation")).pact()
    outcome = verify_pact(
        pact, provider, states=_states(provider, staff, orders_key), headers=orders_key
    )
    assert outcome.ok, outcome.render()
