"""Allocation responses conform to the app's own OpenAPI document, which is complete."""

from __future__ import annotations

from assay.client import APITestClient

from .allocation_app import AllocationApp
from .conftest import Api

PROBLEM = "application/problem+json"


def test_a_session_conforms_to_the_document(api: Api, allocation: AllocationApp) -> None:
    staff, service, shop = api.staff, api.service, api.shop
    with APITestClient(allocation.app, base_url="https://testserver", validate=True) as client:
        batch = shop.batch.data(reference="b-1", sku="LAMP-1", quantity=3, eta="2026-03-01")
        etag = client.post("/v1/batches", json=batch, headers=staff).headers["ETag"]
        client.post("/v2/batches", json=batch, headers=staff).expect.status(409)
        line = shop.allocation.data(order_id="o-1", sku="LAMP-1", quantity=2)
        client.post("/v1/allocations", json=line, headers=service).expect.status(201)
        client.post("/v1/allocations", json=line, headers=service).expect.status(200)
        too_many = shop.allocation.data(order_id="o-2", sku="LAMP-1", quantity=5)
        client.post("/v1/allocations", json=too_many, headers=service).expect.status(409)
        client.get("/v1/batches?sort=-quantity&limit=1", headers=staff).expect.status(200)
        client.get("/v1/batches/b-1", headers=staff).expect.status(200)
        client.get("/v1/batches/none", headers=staff).expect.status(404)
        client.get("/v1/allocations/o-1", headers=service).expect.status(200)
        change = client.patch(
            "/v1/batches/b-1", json={"quantity": 1}, headers=staff | {"If-Match": etag}
        )
        change.expect.status(412)
        client.delete("/v1/allocations/o-1/LAMP-1", headers=service).expect.status(204)


def test_every_operation_is_fully_documented(api: Api) -> None:
    spec = api.client.get("/openapi.json").json()
    operations = [
        (path, method, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if path.startswith(("/v1/batches", "/v2/batches", "/v1/allocations", "/v2/allocations"))
    ]
    assert len(operations) == 2 * 7
    for path, method, operation in operations:
        where = f"{method.upper()} {path}"
        assert operation["operationId"], where
        assert operation.get("summary"), where
        assert operation.get("security"), where
        for status in ("401", "403", "422"):
            assert PROBLEM in operation["responses"][status]["content"], where
