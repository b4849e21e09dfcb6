"""Several ``shop serve`` processes: shared identity, discovery, readiness, balancing."""

from __future__ import annotations

import json

import httpx2
import pytest

from .conftest import Cluster, free_port

PASSWORD = "shop-demo-password"


def _token(base_url: str, email: str = "staff@example.com") -> str:
    response = httpx2.post(
        base_url + "/v1/token",
        data={"grant_type": "password", "username": email, "password": PASSWORD},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


@pytest.mark.slow
def test_processes_share_identity_and_see_each_other(cluster: Cluster) -> None:
    inventory_port, payments_port = free_port(), free_port()
    services = {
        "inventory": [f"http://127.0.0.1:{inventory_port}"],
        "payments": [f"http://127.0.0.1:{payments_port}"],
    }
    env = {"SHOP_SERVICES": json.dumps(services)}
    payments = cluster.start("payments", payments_port, env)
    inventory = cluster.start("inventory", inventory_port, env)
    token = _token(inventory.url)
    auth = {"Authorization": f"Bearer {token}"}
    # a token issued by one process is accepted by the other (same key, same database)
    assert httpx2.get(payments.url + "/v2/payments", headers=auth, timeout=10).status_code == 200
    assert httpx2.get(inventory.url + "/v2/products", headers=auth, timeout=10).status_code == 200
    # each process serves only its own services
    assert httpx2.get(inventory.url + "/v2/payments", headers=auth, timeout=10).status_code == 404
    ready = httpx2.get(inventory.url + "/readyz", timeout=10).json()
    assert ready["checks"]["service:payments"] == "ok"
    cluster.stop(payments)
    down = httpx2.get(inventory.url + "/readyz", timeout=10)
    assert down.status_code == 503
    assert down.json()["failed"] == ["service:payments"]
    spec = httpx2.get(inventory.url + "/openapi.json", timeout=10).json()
    assert all(not path.startswith("/v2/payments") for path in spec["paths"])
