"""Consumer-driven contract between orders (consumer) and payments (provider).

Orders charges through ``POST /internal/payments/charges`` (service-to-service, with an
``Idempotency-Key``); a declined card must come back as a 402 problem the saga turns
into a rejected step. Consumer side against assay's mock over HTTP; provider side
against the real payments service in-process.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest

from assay.client import APITestClient
from assay.contract.pact import PactBuilder, integer, like, regex, verify_pact
from shop.orders.adapters.over_http import HttpPayments, HttpPeer
from shop.orders.service_layer.ports import StepRejected

PROVIDER = "payments"
PROBLEM = {"Content-Type": "application/problem+json"}


def _charge(order: str, method: str) -> dict[str, Any]:
    return {
        "order_id": order,
        "customer": like("ana@example.com"),
        "amount_minor": integer(2598),
        "currency": "EUR",
        "method": method,
    }


def _headers(key: str) -> dict[str, Any]:
    """The service key, and an idempotency key of its own per charge (a key reused with
    another body is refused with 422, rightly)."""
    return {"X-API-Key": regex("svc_orders_key", r"svc_\w+"), "Idempotency-Key": like(key)}


def declare(pact: PactBuilder) -> PactBuilder:
    pact.upon_receiving("a charge of an order").with_request(
        "POST",
        "/internal/payments/charges",
        headers=_headers("ord_1:charge"),
        body=_charge("ord_1", "tok_visa"),
    ).will_respond_with(201, body={"payment_id": like("pay_1")})
    pact.upon_receiving("a charge with a declined card").with_request(
        "POST",
        "/internal/payments/charges",
        headers=_headers("ord_2:charge"),
        body=_charge("ord_2", "tok_declined"),
    ).will_respond_with(
        402,
        headers=PROBLEM,
        body={
            "type": regex("https://shop.example/problems/payment-declined", r".*/payment-declined")
        },
    )
    return pact


def test_orders_charges_as_the_pact_says(
    assay_pact: Any,
    pact_dir: Path,
    peer: Callable[[str, str], AbstractContextManager[HttpPeer]],
) -> None:
    pact = declare(assay_pact("orders", "payments", pact_dir=pact_dir))
    with pact.serve() as url, peer("payments", url) as http:
        payments = HttpPayments(http)
        assert (
            payments.charge(
                "ord_1", "ana@example.com", 2598, "EUR", "ord_1:charge", method="tok_visa"
            )
            == "pay_1"
        )
        with pytest.raises(StepRejected) as declined:
            payments.charge(
                "ord_2", "ana@example.com", 2598, "EUR", "ord_2:charge", method="tok_declined"
            )
    assert declined.value.reason == "payment-declined"


def test_payments_honours_the_pact_of_orders(
    provider: APITestClient, orders_key: dict[str, str]
) -> None:
    outcome = verify_pact(
        declare(PactBuilder("orders", "payments")).pact(), provider, headers=orders_key
    )
    assert outcome.ok, outcome.render()
