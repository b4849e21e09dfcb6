"""Two allocation instances behind orders' client-side balancer; one of them dies."""

from __future__ import annotations

import json
import re

import httpx2
import pytest

from .conftest import Cluster, free_port

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
    cluster: Cluster,
) -> None:
    front, first, second = free_port(), free_port(), free_port()
    services = {name: [f"http://127.0.0.1:{front}"] for name in ("inventory", "orders", "payments")}
    services["allocation"] = [f"http://127.0.0.1:{first}", f"http://127.0.0.1:{second}"]
    env = {"SHOP_SERVICES": json.dumps(services), "SHOP_CLIENT_RETRIES": "2"}
    cluster.migrate()
    shop = cluster.start("inventory,orders,payments", front, env)
    one = cluster.start("allocation", first, env)
    two = cluster.start("allocation", second, env)
    staff, ana = _bearer(shop.url, "staff@example.com"), _bearer(shop.url, "ana@example.com")
    product = {"sku": "LAMP-1", "name": "Lamp", "price": {"amount": 500, "currency": "EUR"}}
    assert httpx2.post(shop.url + "/v2/products", json=product, headers=staff).status_code == 201
    rows = {"rows": [{"sku": "LAMP-1", "warehouse": "east", "quantity": 100}]}
    assert httpx2.post(shop.url + "/v1/stock/imports", json=rows, headers=staff).is_success
    batch = {"reference": "lamp", "sku": "LAMP-1", "quantity": 100}
    assert httpx2.post(one.url + "/v1/batches", json=batch, headers=staff).status_code == 201

    def place(key: str) -> int:
        body = {"lines": [{"sku": "LAMP-1", "qty": 1}], "payment_method": "tok_visa"}
        headers = {**ana, "Idempotency-Key": key}
        return httpx2.post(
            shop.url + "/v2/orders", json=body, headers=headers, timeout=30
        ).status_code

    assert [place(f"o-{n}") for n in range(4)] == [201] * 4
    assert _allocations_served(one.url) == 2
    assert _allocations_served(two.url) == 2
    cluster.stop(two)
    assert [place(f"p-{n}") for n in range(4)] == [201] * 4
    assert _allocations_served(one.url) == 6
    batch_now = httpx2.get(one.url + "/v1/batches/lamp", headers=staff, timeout=10).json()
    assert batch_now["allocated"] == 8
