"""Two allocation instances behind orders' client-side balancer; one of them dies."""

from __future__ import annotations

import re

import httpx2
import pytest

from ..factories import ShopFactories  # noqa: TID252 - the tests are no installed package
from .conftest import ShopCluster

PASSWORD = "shop-demo-password"


def _bearer(base_url: str, email: str) -> dict[str, str]:
    data = {"grant_type": "password", "username": email, "password": PASSWORD}
    response = httpx2.post(base_url + "/v1/token", data=data, timeout=10)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _allocations_served(base_url: str) -> float:
    text = httpx2.get(base_url + "/metrics", timeout=10).text
    pattern = (
        r'shop_http_requests_total\{method="POST",route="/v1/allocations",status="2\d\d"\} (\S+)'
    )
    return sum(float(value) for value in re.findall(pattern, text))


@pytest.mark.slow
def test_orders_spread_allocations_over_instances_and_survive_one_dying(
    cluster: ShopCluster,
) -> None:
    shop = cluster.add("shop", "inventory,orders,payments", SHOP_CLIENT_RETRIES="2")
    one = cluster.add("allocation-1", "allocation", SHOP_CLIENT_RETRIES="2")
    two = cluster.add("allocation-2", "allocation", SHOP_CLIENT_RETRIES="2")
    cluster.migrate()
    cluster.start()
    staff, ana = _bearer(shop, "staff@example.com"), _bearer(shop, "ana@example.com")
    factories = ShopFactories(seed=12)
    product = factories.product.data(sku="LAMP-1", price={"amount": 500, "currency": "EUR"})
    assert httpx2.post(shop + "/v2/products", json=product, headers=staff).status_code == 201
    rows = factories.stock.data(rows=[{"sku": "LAMP-1", "warehouse": "east", "quantity": 100}])
    assert httpx2.post(shop + "/v1/stock/imports", json=rows, headers=staff).is_success
    batch = factories.batch.data(reference="lamp", sku="LAMP-1", quantity=100)
    assert httpx2.post(one + "/v1/batches", json=batch, headers=staff).status_code == 201

    def place(key: str) -> int:
        lines = [factories.order_line.data(sku="LAMP-1", qty=1)]
        body = factories.order.data(lines=lines, payment_method="tok_visa")
        headers = {**ana, "Idempotency-Key": key}
        return httpx2.post(shop + "/v2/orders", json=body, headers=headers, timeout=30).status_code

    assert [place(f"o-{n}") for n in range(4)] == [201] * 4
    assert _allocations_served(one) == 2
    assert _allocations_served(two) == 2
    cluster.stop("allocation-2")
    assert [place(f"p-{n}") for n in range(4)] == [201] * 4
    assert _allocations_served(one) == 6
    batch_now = httpx2.get(one + "/v1/batches/lamp", headers=staff, timeout=10).json()
    assert batch_now["allocated"] == 8
