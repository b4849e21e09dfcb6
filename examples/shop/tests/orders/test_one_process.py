"""Orders and payments inside the real app factory, with fake inventory and allocation
services registering their facades (no dependency on those packages)."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from fastapi import APIRouter
from sqlalchemy import select
from starlette.testclient import TestClient

from shop.bootstrap import create_app
from shop.platform.problems import Conflict, NotFound
from shop.platform.records import OutboxRecord
from shop.platform.services import ServiceContext, ServiceModule
from shop.platform.settings import ShopSettings

from ..factories import ShopFactories  # noqa: TID252 - the tests are no installed package

PASSWORD = "shop-demo-password"
ORDERS = ShopFactories(seed=10)


class FakeInventoryFacade:
    def __init__(self) -> None:
        self.on_hand = {"LAMP-1": 10}
        self.reservations: dict[str, list[tuple[str, int]]] = {}

    def price_of(self, sku: str) -> tuple[int, str]:
        if sku not in self.on_hand:
            raise NotFound("product", sku)
        return 1299, "EUR"

    def reserve(self, order_id: str, lines: Sequence[tuple[str, int]], ttl: int = 900) -> str:
        for sku, qty in lines:
            if self.on_hand[sku] < qty:
                raise Conflict("not enough", slug="insufficient-stock")
        for sku, qty in lines:
            self.on_hand[sku] -= qty
        self.reservations[f"res-{order_id}"] = list(lines)
        return f"res-{order_id}"

    def release(self, reservation_id: str) -> None:
        for sku, qty in self.reservations.pop(reservation_id, []):
            self.on_hand[sku] += qty

    def confirm(self, reservation_id: str) -> None:
        """Nothing to do in the fake."""


class FakeAllocationFacade:
    def __init__(self) -> None:
        self.allocated: dict[tuple[str, str], int] = {}

    def allocate(self, order_id: str, sku: str, qty: int) -> str:
        self.allocated[(order_id, sku)] = qty
        return "batch-1"

    def deallocate(self, order_id: str, sku: str) -> None:
        self.allocated.pop((order_id, sku), None)


def fake_module(name: str, facade: object) -> ServiceModule:
    def build(ctx: ServiceContext) -> list[APIRouter]:
        ctx.facades[name] = facade
        return []

    return ServiceModule(name, build)


@pytest.fixture
def inventory() -> FakeInventoryFacade:
    return FakeInventoryFacade()


@pytest.fixture
def allocation() -> FakeAllocationFacade:
    return FakeAllocationFacade()


@pytest.fixture
def shop(inventory: FakeInventoryFacade, allocation: FakeAllocationFacade) -> Iterator[TestClient]:
    services: list[str | ServiceModule] = [
        fake_module("inventory", inventory),
        fake_module("allocation", allocation),
        "payments",
        "orders",
    ]
    settings = ShopSettings(password_cost=4, log_json=False, log_level="WARNING")
    app = create_app(settings, services=services)
    with TestClient(app, base_url="https://testserver", raise_server_exceptions=False) as client:
        yield client


def bearer(client: TestClient, email: str) -> dict[str, str]:
    data = {"grant_type": "password", "username": email, "password": PASSWORD}
    response = client.post("/v1/token", data=data)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def place(client: TestClient, headers: dict[str, str], key: str, **body: Any) -> Any:
    """Place an order body from the factory (`trait=` and field overrides pass through)."""
    lines = [ORDERS.order_line.data(sku="LAMP-1", qty=2)]
    payload = ORDERS.order.data(**({"lines": lines} | body))
    return client.post("/v2/orders", json=payload, headers={**headers, "Idempotency-Key": key})


def test_an_order_is_charged_through_the_payments_facade(shop: TestClient) -> None:
    ana = bearer(shop, "ana@example.com")
    order = place(shop, ana, "o1")
    assert order.status_code == 201, order.text
    payment_id = order.json()["payment_id"]
    payment = shop.get(f"/v2/payments/{payment_id}", headers=ana)
    assert payment.status_code == 200
    assert payment.json()["captured"] == {"amount": 2598, "currency": "EUR"}
    assert payment.json()["order_id"] == order.json()["id"]
    assert (
        shop.get(f"/v2/payments/{payment_id}", headers=bearer(shop, "ben@example.com")).status_code
        == 404
    )


def test_a_declined_payment_leaves_stock_and_allocation_as_they_were(
    shop: TestClient, inventory: FakeInventoryFacade, allocation: FakeAllocationFacade
) -> None:
    ana = bearer(shop, "ana@example.com")
    response = place(shop, ana, "o1", trait="declined")
    assert response.status_code == 402
    assert inventory.on_hand == {"LAMP-1": 10}
    assert allocation.allocated == {}
    payments = shop.get("/v1/payments", headers=ana).json()["items"]
    assert [p["status"] for p in payments] == ["declined"]


def test_cancelling_refunds_the_payment(shop: TestClient, inventory: FakeInventoryFacade) -> None:
    ana = bearer(shop, "ana@example.com")
    order = place(shop, ana, "o1").json()
    cancelled = shop.post(f"/v2/orders/{order['id']}/cancel", headers=ana)
    assert cancelled.json()["status"] == "cancelled"
    payment = shop.get(f"/v1/payments/{order['payment_id']}", headers=ana).json()
    assert (payment["status"], payment["refunded_minor"]) == ("refunded", 2598)
    assert inventory.on_hand == {"LAMP-1": 10}


def test_events_of_both_services_go_through_the_outbox(shop: TestClient) -> None:
    place(shop, bearer(shop, "ana@example.com"), "o1")
    context = shop.app.state.shop.context  # type: ignore[attr-defined]
    with context.session_factory() as session:
        topics = set(session.scalars(select(OutboxRecord.topic)))
    assert topics == {"orders", "payments"}


def test_a_placed_orders_events_reach_the_bus_after_the_saga(shop: TestClient) -> None:
    context = shop.app.state.shop.context  # type: ignore[attr-defined]
    context.relay.stop()
    context.relay.interval = 60.0  # no polling: only the placement's wake-up relays
    context.relay.start()
    confirmed = threading.Event()
    names: list[str] = []

    def on_order_event(message: dict[str, Any]) -> None:
        names.append(message["name"])
        if message["name"] == "OrderConfirmed":
            confirmed.set()

    context.bus.subscribe("orders", on_order_event)
    order = place(shop, bearer(shop, "ana@example.com"), "o1")
    assert order.status_code == 201, order.text
    assert confirmed.wait(5.0), "the relay did not publish after the placement woke it"
    assert context.relay.relay_pending() == 0  # the woken round took every message
    assert names == ["OrderPlaced", "OrderConfirmed"]
