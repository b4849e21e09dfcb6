"""Order placement with payments behind assay's fault proxy (the ``fault_proxy`` fixture).

Three real processes: inventory+orders (told that payments is at the proxy, with a
1 s client timeout), allocation and payments. With payments failing or hung the shop
neither hangs nor floods it: it tries a charge at most three times with one
Idempotency-Key, and a charge it could not make leaves the order pending, its stock
reserved and its lines allocated, for the saga to resume later (nothing is given back:
the order is not refused, only delayed).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx2
import pytest

from assay.resilience import FailFirst, FaultProxy, Hang, Status

from ..factories import ShopFactories  # noqa: TID252 - the tests are no installed package
from .conftest import ShopCluster

PASSWORD = "shop-demo-password"
FACTORIES = ShopFactories(seed=17)
CHARGES = "/internal/payments/charges"


@dataclass
class Shop:
    front: str
    allocation: str
    payments: str
    proxy: FaultProxy
    staff: dict[str, str]
    ana: dict[str, str]


def _call(method: str, url: str, headers: dict[str, str], body: Any = None) -> httpx2.Response:
    return httpx2.request(method, url, headers=headers, json=body, timeout=20)


def _bearer(base_url: str, email: str) -> dict[str, str]:
    data = {"grant_type": "password", "username": email, "password": PASSWORD}
    response = httpx2.post(base_url + "/v1/token", data=data, timeout=10)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
def shop(cluster: ShopCluster, fault_proxy: Callable[..., FaultProxy]) -> Iterator[Shop]:
    payments = cluster.add("payments", "payments")
    allocation = cluster.add("allocation", "allocation")
    proxy = fault_proxy(payments)
    routes = {"allocation": [allocation], "payments": [proxy.url]}
    front = cluster.add(
        "front", "inventory,orders", SHOP_SERVICES=json.dumps(routes), SHOP_CLIENT_TIMEOUT="1"
    )
    cluster.migrate()
    cluster.environment.start("payments", "allocation", "front")
    yield Shop(
        front,
        allocation,
        payments,
        proxy,
        staff=_bearer(front, "staff@example.com"),
        ana=_bearer(front, "ana@example.com"),
    )
    for name in ("front", "allocation", "payments"):
        assert "Traceback" not in cluster.log(name), cluster.log(name)


def _stock_up(shop: Shop) -> None:
    product = FACTORIES.product.data(sku="LAMP-9", price={"amount": 1500, "currency": "EUR"})
    assert _call("POST", shop.front + "/v2/products", shop.staff, product).status_code == 201
    rows = FACTORIES.stock.data(rows=[{"sku": "LAMP-9", "warehouse": "east", "quantity": 10}])
    assert _call("POST", shop.front + "/v1/stock/imports", shop.staff, rows).status_code == 200
    batch = FACTORIES.batch.data(reference="lamp-9-stock", sku="LAMP-9", quantity=10)
    assert _call("POST", shop.allocation + "/v1/batches", shop.staff, batch).status_code == 201


def _place(shop: Shop, key: str) -> tuple[httpx2.Response, list[Any]]:
    """Place an order of two lamps; the answer and the calls payments got meanwhile."""
    body = FACTORIES.order.data(lines=[FACTORIES.order_line.data(sku="LAMP-9", qty=2)])
    since = time.monotonic()
    placed = _call("POST", shop.front + "/v2/orders", {**shop.ana, "Idempotency-Key": key}, body)
    return placed, shop.proxy.calls.since(since)


def _allocated(shop: Shop) -> int:
    batch = _call("GET", shop.allocation + "/v1/batches/lamp-9-stock", shop.staff).json()
    return int(batch["allocated"])


@pytest.mark.slow
def test_payments_failing_or_hung_delay_orders_without_flooding_payments(shop: Shop) -> None:
    _stock_up(shop)

    with shop.proxy.faults(Status(503, retry_after=1)):
        waiting, charges = _place(shop, "order-payments-down")
    assert waiting.status_code == 202, waiting.text
    order = waiting.json()
    assert order["status"] == "pending"
    assert [c.path for c in charges] == [CHARGES] * 3  # the first call and two retries
    assert {c.idempotency_key for c in charges} == {f"{order['id']}:charge"}
    assert _allocated(shop) == 2  # held for the paused order, not given back

    with shop.proxy.faults(FailFirst(1, Status(503))):
        confirmed, charges = _place(shop, "order-payments-flaky")
    assert confirmed.status_code == 201, confirmed.text
    assert [c.status for c in charges] == [503, 201]
    assert len({c.idempotency_key for c in charges}) == 1
    payments = _call("GET", shop.payments + "/v1/payments", shop.ana).json()["items"]
    assert [p["order_id"] for p in payments] == [confirmed.json()["id"]]  # charged once

    with shop.proxy.faults(Hang()):
        delayed, charges = _place(shop, "order-payments-hung")  # within the 20 s read timeout
    assert delayed.status_code == 202, delayed.text
    assert [(c.path, c.fault) for c in charges] == [(CHARGES, "hang")]  # no retry on a hang
    assert _allocated(shop) == 6
