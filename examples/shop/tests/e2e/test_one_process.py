"""All services in one process through ``create_app()``: the saga, the spec, the CLI."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from shop.bootstrap import create_app
from shop.cli import main
from shop.platform.settings import ShopSettings

from ..factories import ShopFactories  # noqa: TID252 - the tests are no installed package

PASSWORD = "shop-demo-password"
PROBLEM = "application/problem+json"


@pytest.fixture
def client() -> Iterator[TestClient]:
    app = create_app(ShopSettings(password_cost=4, log_json=False))
    with TestClient(app, base_url="https://testserver", raise_server_exceptions=False) as c:
        yield c


def _bearer(client: TestClient, email: str) -> dict[str, str]:
    data = {"grant_type": "password", "username": email, "password": PASSWORD}
    response = client.post("/v1/token", data=data)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _shop(client: TestClient) -> ShopFactories:
    """Factories creating through the app: staff for the catalogue, Ana places orders."""
    staff, ana = _bearer(client, "staff@example.com"), _bearer(client, "ana@example.com")
    keys = itertools.count(1)

    def post(url: str, body: dict[str, Any]) -> Any:
        if url == "/v2/orders":  # the order's answer is what the test looks at
            headers = {**ana, "Idempotency-Key": f"order-{next(keys)}"}
            return client.post(url, json=body, headers=headers)
        response = client.post(url, json=body, headers=staff)
        assert response.status_code in (200, 201), response.text
        return response.json()

    return ShopFactories(seed=1, post=post)


def _state(client: TestClient, sku: str, batch: str) -> tuple[Any, Any]:
    staff = _bearer(client, "staff@example.com")
    stock = client.get(f"/v1/products/{sku}", headers=staff).json()["stock"]
    return stock, client.get(f"/v1/batches/{batch}", headers=staff).json()


def test_the_saga_in_one_process(client: TestClient) -> None:
    shop = _shop(client)
    placed = shop.order.create(lines=[{"sku": "LAMP-1", "qty": 2}])  # stock 4, batch 4
    assert placed.status_code == 201, placed.text
    assert placed.json()["status"] == "confirmed"
    stock, batch = _state(client, "LAMP-1", "batch-001")
    assert batch["allocated"] == 2
    assert stock == [{"warehouse": "east", "on_hand": 2, "reserved": 0, "available": 2}]
    declined = shop.order.create(trait="declined", lines=[{"sku": "DESK-1", "qty": 1}])
    assert declined.status_code == 402
    assert declined.headers["content-type"] == PROBLEM
    stock, batch = _state(client, "DESK-1", "batch-002")  # its stock and batch: untouched
    assert batch["allocated"] == 0
    assert stock == [{"warehouse": "east", "on_hand": 2, "reserved": 0, "available": 2}]
    assert client.get("/readyz").status_code == 200


def test_every_documented_error_is_a_problem_and_every_answer_has_a_request_id(
    client: TestClient,
) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["info"]["title"] == "shop"
    assert {"OAuth2", "ServiceApiKey"} <= set(spec["components"]["securitySchemes"])
    tags = {tag["name"] for tag in spec["tags"]}
    assert {"inventory", "allocation", "payments", "orders", "operations"} <= tags
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            for status, response in operation["responses"].items():
                where = f"{method.upper()} {path} {status}"
                assert "X-Request-ID" in response.get("headers", {}), where
                if status.startswith(("4", "5")) and status != "default":
                    assert PROBLEM in response.get("content", {}), where
            if path.startswith("/v1/") and "/v2" + path[3:] in spec["paths"]:
                assert operation.get("deprecated") is True, f"{method} {path}"


def test_shop_openapi_prints_the_document(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["openapi", "inventory,payments"]) == 0
    spec = json.loads(capsys.readouterr().out)
    assert "/v2/products" in spec["paths"]
    assert "/v2/payments" in spec["paths"]
    assert "/v2/orders" not in spec["paths"]


def test_shop_cli_refuses_unknown_services(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["openapi", "inventory,warehouse"]) == 2
    assert "unknown service(s) warehouse" in capsys.readouterr().err


def test_shop_defects_lists_every_service_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["defects"]) == 0
    names = [line.split(":", 1)[0] for line in capsys.readouterr().out.splitlines()]
    assert len(names) >= 15
    assert {name.split("-", 1)[0] for name in names} >= {"inventory", "orders", "payments"}
