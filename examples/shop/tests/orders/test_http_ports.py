"""The HTTP adapters of the saga's ports, against a scripted transport."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx2
import pytest

from shop.orders.adapters.over_http import (
    HttpAllocation,
    HttpInventory,
    HttpPayments,
    HttpPeer,
)
from shop.orders.service_layer.defects import DOWNSTREAM_NO_TIMEOUT
from shop.orders.service_layer.ports import DownstreamUnavailable, StepRejected
from shop.platform.clients import RetryPolicy, ServiceClient
from shop.platform.services import PeerUnavailable

from .conftest import Switches

Script = Callable[[httpx2.Request], httpx2.Response]
PROBLEM = "https://shop.example/problems/"


class Recorder:
    def __init__(self, *answers: httpx2.Response | Exception) -> None:
        self.answers = list(answers)
        self.requests: list[httpx2.Request] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer


def peer(script: Recorder, defects: Switches | None = None) -> HttpPeer:
    client = ServiceClient(
        "payments",
        ["http://payments.test"],
        api_key="svc_orders_key",
        retry=RetryPolicy(attempts=3),
        quarantine=0.0,
        sleep=lambda _: None,
        transport=httpx2.MockTransport(script),
    )
    return HttpPeer(lambda: client, defects or Switches())


def problem(status: int, slug: str) -> httpx2.Response:
    body = {"type": PROBLEM + slug, "title": slug, "status": status, "detail": "refused"}
    return httpx2.Response(status, json=body)


def charge(payments: HttpPayments) -> str:
    return payments.charge("ord_1", "cus_1", 1299, "EUR", "ord_1:charge", method="tok_visa")


def test_a_charge_carries_its_key_and_credentials() -> None:
    script = Recorder(httpx2.Response(201, json={"payment_id": "pay_1"}))
    assert charge(HttpPayments(peer(script))) == "pay_1"
    (request,) = script.requests
    assert request.url.path == "/internal/payments/charges"
    assert request.headers["Idempotency-Key"] == "ord_1:charge"
    assert request.headers["X-API-Key"] == "svc_orders_key"
    assert json.loads(request.content)["amount_minor"] == 1299


def test_a_refusal_is_a_rejected_step_named_by_the_problem_type() -> None:
    script = Recorder(problem(402, "payment-declined"))
    with pytest.raises(StepRejected) as excinfo:
        charge(HttpPayments(peer(script)))
    assert (excinfo.value.reason, excinfo.value.status) == ("payment-declined", 402)


def test_outages_are_retried_with_the_same_key_then_unavailable() -> None:
    script = Recorder(httpx2.ConnectError("refused"))
    with pytest.raises(DownstreamUnavailable):
        charge(HttpPayments(peer(script)))
    assert len(script.requests) == 3
    assert {r.headers["Idempotency-Key"] for r in script.requests} == {"ord_1:charge"}


def test_a_5xx_answer_is_unavailable() -> None:
    script = Recorder(httpx2.Response(500, json={}))
    with pytest.raises(DownstreamUnavailable):
        charge(HttpPayments(peer(script)))


def test_inventory_reserve_and_price() -> None:
    script = Recorder(
        httpx2.Response(200, json={"sku": "LAMP", "amount": 1299, "currency": "EUR"}),
        httpx2.Response(201, json={"id": "res_1"}),
        problem(409, "insufficient-stock"),
    )
    inventory = HttpInventory(peer(script))
    assert inventory.price_of("LAMP") == (1299, "EUR")
    assert inventory.reserve("ord_1", [("LAMP", 2)]) == "res_1"
    body = json.loads(script.requests[1].content)
    assert body["lines"] == [{"sku": "LAMP", "quantity": 2}]
    with pytest.raises(StepRejected, match="refused") as excinfo:
        inventory.reserve("ord_2", [("LAMP", 99)])
    assert excinfo.value.reason == "insufficient-stock"


def test_allocation_allocates_and_deallocates() -> None:
    script = Recorder(httpx2.Response(201, json={"batch_reference": "b-1"}), httpx2.Response(204))
    allocation = HttpAllocation(peer(script))
    assert allocation.allocate("ord_1", "LAMP", 2) == "b-1"
    allocation.deallocate("ord_1", "LAMP")
    assert script.requests[1].method == "DELETE"
    assert script.requests[1].url.path == "/v1/allocations/ord_1/LAMP"


def test_calls_have_a_timeout_unless_the_defect_is_on() -> None:
    script = Recorder(httpx2.Response(201, json={"payment_id": "pay_1"}))
    charge(HttpPayments(peer(script)))
    assert script.requests[0].extensions["timeout"]["read"] == 5.0
    charge(HttpPayments(peer(script, Switches({DOWNSTREAM_NO_TIMEOUT}))))
    assert script.requests[1].extensions["timeout"]["read"] > 3600


def test_an_unconfigured_peer_is_unavailable() -> None:
    def missing() -> ServiceClient:
        raise PeerUnavailable("no URL")

    with pytest.raises(DownstreamUnavailable):
        charge(HttpPayments(HttpPeer(missing, Switches())))
