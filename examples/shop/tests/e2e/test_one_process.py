"""All services in one process through ``create_app()``: the saga, the spec, the CLI."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from shop.bootstrap import create_app
from shop.cli import main
from shop.platform.settings import ShopSettings

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


def _stock_up(client: TestClient, staff: dict[str, str]) -> None:
    product = {"sku": "LAMP-1", "name": "Lamp", "price": {"amount": 1299, "currency": "EUR"}}
    assert client.post("/v2/products", json=product, headers=staff).status_code == 201
    rows = {"rows": [{"sku": "LAMP-1", "warehouse": "east", "quantity": 10}]}
    assert client.post("/v1/stock/imports", json=rows, headers=staff).status_code == 200
    batch = {"reference": "lamp-stock", "sku": "LAMP-1", "quantity": 10}
    assert client.post("/v1/batches", json=batch, headers=staff).status_code == 201


def _place(client: TestClient, ana: dict[str, str], key: str, method: str) -> Any:
    body = {"lines": [{"sku": "LAMP-1", "qty": 2}], "payment_method": method}
    return client.post("/v2/orders", json=body, headers={**ana, "Idempotency-Key": key})


def test_the_saga_in_one_process(client: TestClient) -> None:
    staff, ana = _bearer(client, "staff@example.com"), _bearer(client, "ana@example.com")
    _stock_up(client, staff)
    placed = _place(client, ana, "o-1", "tok_visa")
    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert order["status"] == "confirmed"
    batch = client.get("/v1/batches/lamp-stock", headers=staff).json()
    assert batch["allocated"] == 2
    before = (client.get("/v1/products/LAMP-1", headers=staff).json()["stock"], batch)
    declined = _place(client, ana, "o-2", "tok_declined")
    assert declined.status_code == 402
    assert declined.headers["content-type"] == PROBLEM
    after_stock = client.get("/v1/products/LAMP-1", headers=staff).json()["stock"]
    after_batch = client.get("/v1/batches/lamp-stock", headers=staff).json()
    assert (after_stock, after_batch) == before
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
