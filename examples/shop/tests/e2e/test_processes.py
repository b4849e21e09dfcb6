"""Several ``shop serve`` processes: shared identity, discovery, readiness, balancing."""

from __future__ import annotations

import httpx2
import pytest

from .conftest import ShopCluster

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
def test_processes_share_identity_and_see_each_other(cluster: ShopCluster) -> None:
    payments, inventory = cluster.add("payments", "payments"), cluster.add("inventory", "inventory")
    cluster.start("payments", "inventory")
    token = _token(inventory)
    auth = {"Authorization": f"Bearer {token}"}
    # a token issued by one process is accepted by the other (same key, same database)
    assert httpx2.get(payments + "/v2/payments", headers=auth, timeout=10).status_code == 200
    assert httpx2.get(inventory + "/v2/products", headers=auth, timeout=10).status_code == 200
    # each process serves only its own services
    assert httpx2.get(inventory + "/v2/payments", headers=auth, timeout=10).status_code == 404
    ready = httpx2.get(inventory + "/readyz", timeout=10).json()
    assert ready["checks"]["service:payments"] == "ok"
    cluster.stop("payments")
    down = httpx2.get(inventory + "/readyz", timeout=10)
    assert down.status_code == 503
    assert down.json()["failed"] == ["service:payments"]
    spec = httpx2.get(inventory + "/openapi.json", timeout=10).json()
    assert all(not path.startswith("/v2/payments") for path in spec["paths"])
