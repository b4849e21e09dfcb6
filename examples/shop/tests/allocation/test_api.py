"""Allocation API tests: batches, allocation preference, reallocation, ETags, events."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from shop.allocation.domain import OutOfStock, UnknownSku
from shop.allocation.service_layer import defects
from shop.allocation.service_layer.facade import AllocationFacade
from shop.platform.defects import KNOWN_DEFECTS
from shop.platform.records import OutboxRecord

from .allocation_app import AllocationApp
from .conftest import Api


@pytest.fixture
def batches(api: Api) -> Api:
    api.batch("ship-late", "LAMP-1", 10, "2026-04-01")
    api.batch("ship-soon", "LAMP-1", 10, "2026-03-01")
    api.batch("stock", "LAMP-1", 5)
    return api


def test_allocation_prefers_stock_then_earliest_shipment(batches: Api) -> None:
    first = batches.allocate("o-1", "LAMP-1", 5)
    assert first.status_code == 201
    assert first.headers["Location"] == "/v1/allocations/o-1"
    assert first.json()["batch_reference"] == "stock"
    assert batches.allocate("o-2", "LAMP-1", 4).json()["batch_reference"] == "ship-soon"
    retry = batches.allocate("o-2", "LAMP-1", 4)
    assert retry.status_code == 200
    assert retry.json()["batch_reference"] == "ship-soon"


def test_out_of_stock_and_unknown_sku(batches: Api) -> None:
    short = batches.allocate("o-1", "LAMP-1", 11)
    assert short.status_code == 409
    assert short.json()["sku"] == "LAMP-1"
    unknown = batches.allocate("o-1", "GHOST", 1)
    assert unknown.status_code == 404
    assert (unknown.json()["resource"], unknown.json()["id"]) == ("sku", "GHOST")


def test_deallocate_is_idempotent(batches: Api) -> None:
    batches.allocate("o-1", "LAMP-1", 5)
    url = "/v1/allocations/o-1/LAMP-1"
    assert batches.client.delete(url, headers=batches.service).status_code == 204
    assert batches.client.delete(url, headers=batches.service).status_code == 204
    stock = batches.client.get("/v1/batches/stock", headers=batches.staff).json()
    assert stock["available"] == 5
    order = batches.client.get("/v1/allocations/o-1", headers=batches.service).json()
    assert order == {"order_id": "o-1", "lines": []}


def _change(api: Api, reference: str, quantity: int, etag: str | None) -> Any:
    headers = api.staff | ({"If-Match": etag} if etag else {})
    return api.client.patch(
        f"/v1/batches/{reference}", json={"quantity": quantity}, headers=headers
    )


def test_reducing_a_batch_reallocates_with_if_match(batches: Api) -> None:
    batches.allocate("o-1", "LAMP-1", 2)
    batches.allocate("o-2", "LAMP-1", 3)
    etag = batches.client.get("/v1/batches/stock", headers=batches.staff).headers["ETag"]
    assert _change(batches, "stock", 2, None).status_code == 428
    assert _change(batches, "stock", 2, '"999"').status_code == 412
    changed = _change(batches, "stock", 2, etag)
    assert changed.status_code == 200
    assert changed.json()["allocations"] == [{"order_id": "o-1", "quantity": 2}]
    order = batches.client.get("/v1/allocations/o-2", headers=batches.service).json()
    assert order["lines"][0]["batch_reference"] == "ship-soon"
    assert _change(batches, "stock", 1, etag).status_code == 412


def test_batch_errors(api: Api) -> None:
    api.batch("b-1", "LAMP-1", 1)
    body = api.shop.batch.data(reference="b-1")  # a valid body, then broken
    assert api.client.post("/v1/batches", json=body, headers=api.staff).status_code == 409
    bad = {**body, "reference": "b-2", "quantity": -1}
    assert api.client.post("/v1/batches", json=bad, headers=api.staff).status_code == 422
    missing = api.client.get("/v1/batches/nope", headers=api.staff)
    assert (missing.status_code, missing.json()["resource"]) == (404, "batch")
    assert api.client.post("/v1/batches", json=body, headers=api.customer).status_code == 403
    assert api.allocate("o-1", "LAMP-1", 0).status_code == 422


def test_batch_list_pages_sorts_filters_in_constant_queries(
    api: Api, allocation: AllocationApp
) -> None:
    for n in range(12):
        api.batch(f"b-{n:02}", "LAMP-1" if n % 2 else "DESK-1", n, None if n % 3 else "2026-05-01")
        if n:
            api.allocate(f"o-{n}", "LAMP-1" if n % 2 else "DESK-1", 1)
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2, "sort": "-quantity", "sku": "LAMP-1"}
        body = api.client.get(
            "/v1/batches", params=params | ({"cursor": cursor} if cursor else {}), headers=api.staff
        ).json()
        seen += [item["reference"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == ["b-11", "b-09", "b-07", "b-05", "b-03", "b-01"]
    arrived = api.client.get("/v2/batches?arrived=false&limit=100", headers=api.staff).json()
    assert [b["reference"] for b in arrived["items"]] == ["b-00", "b-03", "b-06", "b-09"]

    def count(limit: int) -> int:
        allocation.counter.count, allocation.counter.active = 0, True
        api.client.get(f"/v1/batches?limit={limit}", headers=api.staff)
        allocation.counter.active = False
        return allocation.counter.count

    assert count(1) == count(6) == count(12)


def test_events_reach_the_outbox(batches: Api, allocation: AllocationApp) -> None:
    batches.allocate("o-1", "LAMP-1", 5)
    batches.allocate("o-2", "LAMP-1", 50)
    batches.client.delete("/v1/allocations/o-1/LAMP-1", headers=batches.service)
    with allocation.context.session_factory() as session:
        bodies = [json.loads(r.body) for r in session.scalars(select(OutboxRecord)).all()]
    assert [b["name"] for b in bodies] == ["Allocated", "OutOfStock", "Deallocated"]
    assert bodies[0]["payload"]["batch_reference"] == "stock"
    assert allocation.context.relay.relay_pending() == 3


def test_facade_contract(batches: Api, allocation: AllocationApp) -> None:
    facade = allocation.context.facades["allocation"]
    assert isinstance(facade, AllocationFacade)
    assert facade.allocate("o-1", "LAMP-1", 3) == "stock"
    assert facade.allocate("o-1", "LAMP-1", 3) == "stock"
    with pytest.raises(OutOfStock):
        facade.allocate("o-2", "LAMP-1", 100)
    with pytest.raises(UnknownSku):
        facade.allocate("o-3", "GHOST", 1)
    facade.deallocate("o-1", "LAMP-1")
    facade.deallocate("o-1", "LAMP-1")


def test_missing_scope_defect(build: Callable[..., AllocationApp]) -> None:
    assert "allocation-missing-scope" in KNOWN_DEFECTS
    for switched, expected in (((), 403), ((defects.MISSING_SCOPE,), 200)):
        app = build(*switched)
        with TestClient(app.app, base_url="https://testserver") as client:
            api = Api(client)
            etag = api.batch("b-1", "LAMP-1", 5).headers["ETag"]
            headers = api.customer | {"If-Match": etag}
            response = client.patch("/v1/batches/b-1", json={"quantity": 1}, headers=headers)
            assert response.status_code == expected
            spec = client.get("/openapi.json").json()
            security = spec["paths"]["/v1/batches/{reference}"]["patch"]["security"]
            assert {"OAuth2": ["allocation:write"]} in security
