"""The order saga across three real processes: inventory+orders, allocation, payments."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2
import pytest

from ..factories import ShopFactories  # noqa: TID252 - the tests are no installed package
from .conftest import ShopCluster

PASSWORD = "shop-demo-password"
FACTORIES = ShopFactories(seed=9)


@dataclass
class Shop:
    front: str  # inventory + orders
    allocation: str
    payments: str
    allocation_log: Path
    staff: dict[str, str]
    ana: dict[str, str]


def _bearer(base_url: str, email: str) -> dict[str, str]:
    data = {"grant_type": "password", "username": email, "password": PASSWORD}
    response = httpx2.post(base_url + "/v1/token", data=data, timeout=10)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _call(method: str, url: str, headers: dict[str, str], body: Any = None) -> httpx2.Response:
    return httpx2.request(method, url, headers=headers, json=body, timeout=20)


@pytest.fixture
def shop(cluster: ShopCluster) -> Iterator[Shop]:
    front = cluster.add("front", "inventory,orders")
    allocation = cluster.add("allocation", "allocation", SHOP_LOG_LEVEL="INFO")
    payments = cluster.add("payments", "payments")
    cluster.migrate()
    cluster.start("front", "allocation", "payments")
    yield Shop(
        front,
        allocation,
        payments,
        cluster.environment["allocation"].log,
        staff=_bearer(front, "staff@example.com"),
        ana=_bearer(front, "ana@example.com"),
    )
    for name in ("front", "allocation", "payments"):
        assert "Traceback" not in cluster.log(name), cluster.log(name)


def _stock_up(shop: Shop) -> None:
    product = FACTORIES.product.data(sku="LAMP-1", price={"amount": 1299, "currency": "EUR"})
    assert _call("POST", shop.front + "/v2/products", shop.staff, product).status_code == 201
    rows = FACTORIES.stock.data(rows=[{"sku": "LAMP-1", "warehouse": "east", "quantity": 10}])
    assert _call("POST", shop.front + "/v1/stock/imports", shop.staff, rows).status_code == 200
    batch = FACTORIES.batch.data(reference="lamp-stock", sku="LAMP-1", quantity=10)
    created = _call("POST", shop.allocation + "/v1/batches", shop.staff, batch)
    assert created.status_code == 201, created.text


def _state(shop: Shop) -> tuple[Any, Any]:
    product = _call("GET", shop.front + "/v1/products/LAMP-1", shop.staff).json()
    batch = _call("GET", shop.allocation + "/v1/batches/lamp-stock", shop.staff).json()
    return product["stock"], batch


def _place(
    shop: Shop, key: str, method: str = "tok_visa", trace: str | None = None
) -> httpx2.Response:
    lines = [FACTORIES.order_line.data(sku="LAMP-1", qty=2)]
    body = FACTORIES.order.data(lines=lines, payment_method=method)
    headers = {**shop.ana, "Idempotency-Key": key, **({"X-Request-ID": trace} if trace else {})}
    return _call("POST", shop.front + "/v2/orders", headers, body)


@pytest.mark.slow
def test_an_order_reserves_allocates_and_charges_across_processes(shop: Shop) -> None:
    _stock_up(shop)
    placed = _place(shop, "order-1", trace="e2e-trace-0001")
    assert placed.status_code == 201, placed.text
    assert placed.headers["x-request-id"] == "e2e-trace-0001"
    order = placed.json()
    assert order["status"] == "confirmed"
    payment = _call("GET", f"{shop.payments}/v2/payments/{order['payment_id']}", shop.ana)
    assert payment.status_code == 200
    assert payment.json()["captured"] == {"amount": 2598, "currency": "EUR"}
    batch = _call("GET", f"{shop.allocation}/v1/batches/lamp-stock", shop.staff).json()
    assert batch["allocated"] == 2
    assert batch["allocations"] == [{"order_id": order["id"], "quantity": 2}]
    allocation_calls = [
        json.loads(line)
        for line in shop.allocation_log.read_text().splitlines()
        if '"shop.access"' in line and "e2e-trace-0001" in line
    ]
    assert [(c["method"], c["route"]) for c in allocation_calls] == [("POST", "/v1/allocations")]
    again = _place(shop, "order-1")
    assert again.json()["id"] == order["id"]  # the Idempotency-Key replays, no second order


@pytest.mark.slow
def test_a_declined_payment_leaves_stock_and_allocation_as_they_were(shop: Shop) -> None:
    _stock_up(shop)
    before = _state(shop)
    declined = _place(shop, "order-declined", method="tok_declined")
    assert declined.status_code == 402, declined.text
    assert declined.headers["content-type"].startswith("application/problem+json")
    assert _state(shop) == before
    payments = _call("GET", shop.payments + "/v1/payments", shop.ana).json()["items"]
    assert [p["status"] for p in payments] == ["declined"]
