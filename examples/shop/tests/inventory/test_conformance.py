"""Every response of a realistic session conforms to the app's own OpenAPI document
(assay's client validates each one), and the document declares what assay checks."""

from __future__ import annotations

from typing import Any

from assay.client import APITestClient

from .conftest import Api
from .inventory_app import InventoryApp

PROBLEM = "application/problem+json"


def _session(client: APITestClient, api: Api) -> None:
    staff, service = api.staff, api.service
    product = api.shop.product_v1.data(sku="LAMP-1", price=1299, currency="EUR")
    etag = client.post("/v1/products", json=product, headers=staff).headers["ETag"]
    client.put("/v1/products/LAMP-1/stock/east", json={"on_hand": 4}, headers=staff)
    client.get("/v1/products/LAMP-1", headers=staff).expect.status(200)
    client.get("/v2/products/LAMP-1", headers=staff).expect.status(200)
    client.get("/v1/products/NOPE", headers=staff).expect.status(404)
    client.get("/v1/products?limit=1&sort=-price", headers=staff).expect.status(200)
    client.patch("/v1/products/LAMP-1", json={"name": "x"}, headers=staff).expect.status(428)
    changed = client.patch(
        "/v2/products/LAMP-1", json={"name": "Big lamp"}, headers=staff | {"If-Match": etag}
    )
    changed.expect.status(412)
    body = api.shop.reservation.data(order_id="o-1", lines=[{"sku": "LAMP-1", "quantity": 2}])
    reservation = client.post("/v1/reservations", json=body, headers=service)
    reservation.expect.status(201).json_path("$.status", str)
    rid = reservation.json()["id"]
    client.post(f"/v1/reservations/{rid}/release", headers=service).expect.status(200)
    client.post(f"/v1/reservations/{rid}/confirm", headers=service).expect.status(409)
    client.get("/v1/prices/LAMP-1", headers=service).expect.status(200)
    client.get("/v1/stock", headers=staff | {"Accept": "text/csv"}).expect.status(200)
    client.get("/v1/stock", headers=staff | {"Accept": "image/png"}).expect.status(406)


def test_a_session_conforms_to_the_document(api: Api, inventory: InventoryApp) -> None:
    with APITestClient(inventory.app, base_url="https://testserver", validate=True) as client:
        _session(client, api)


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if path.startswith(("/v1/", "/v2/"))
        and not path.startswith(("/v1/token", "/v1/console"))
        and path not in ("/v1/revoke", "/v1/logout")
    ]


def test_every_operation_is_fully_documented(api: Api) -> None:
    spec = api.client.get("/openapi.json").json()
    operations = _operations(spec)
    assert len(operations) == 2 * 13
    ids = [operation["operationId"] for _, _, operation in operations]
    assert len(ids) == len(set(ids))
    for path, method, operation in operations:
        where = f"{method.upper()} {path}"
        assert operation.get("summary"), where
        assert operation.get("security"), where
        for status in ("401", "403", "422"):
            assert PROBLEM in operation["responses"][status]["content"], where
        if "{" in path:
            assert "404" in operation["responses"], where
        if method in ("put", "patch") and "/stock/" not in path:
            assert {"412", "428"} <= set(operation["responses"]), where
