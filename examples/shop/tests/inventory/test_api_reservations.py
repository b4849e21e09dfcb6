"""Reservation and price endpoints (service-to-service), the facade and the outbox."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from shop.inventory.domain import InsufficientStock, UnknownProduct
from shop.inventory.service_layer.facade import InventoryFacade
from shop.platform.records import OutboxRecord

from .conftest import Api
from .inventory_app import FakeClock, InventoryApp


@pytest.fixture
def stocked(api: Api) -> Api:
    api.create("LAMP-1", price=1299)
    api.stock("LAMP-1", "east", 3)
    api.stock("LAMP-1", "west", 2)
    return api


def _reserve(api: Api, order: str, quantity: int, ttl: int = 900) -> Any:
    line = {"sku": "LAMP-1", "quantity": quantity}
    body = api.shop.reservation.data(order_id=order, lines=[line], ttl_seconds=ttl)
    headers = api.service | {"Idempotency-Key": f"key-{order}"}
    return api.client.post("/v1/reservations", json=body, headers=headers)


def test_reserve_release_and_retry(stocked: Api) -> None:
    api = stocked
    created = _reserve(api, "o-1", 4)
    assert created.status_code == 201
    body = created.json()
    assert body["status"] == "pending"
    assert body["lines"] == [{"sku": "LAMP-1", "quantity": 4}]
    assert created.headers["Location"] == f"/v1/reservations/{body['id']}"
    retry = _reserve(api, "o-1", 4)
    assert retry.status_code == 200
    assert retry.json()["id"] == body["id"]
    short = _reserve(api, "o-2", 2)
    assert short.status_code == 409
    assert short.json()["available"] == 1
    url = f"/v1/reservations/{body['id']}/release"
    assert api.client.post(url, headers=api.service).json()["status"] == "released"
    assert api.client.post(url, headers=api.service).status_code == 200
    assert _reserve(api, "o-2", 2).status_code == 201


def test_reservations_need_a_service_key(stocked: Api) -> None:
    body = stocked.shop.reservation.data(lines=[{"sku": "LAMP-1", "quantity": 1}])
    assert stocked.client.post("/v1/reservations", json=body).status_code == 401
    bad_key = {"X-API-Key": "svc_wrong_0123456789abcdefghijkl"}
    assert stocked.client.post("/v1/reservations", json=body, headers=bad_key).status_code == 401
    unknown = stocked.client.get("/v1/reservations/res_nope", headers=stocked.service)
    assert unknown.status_code == 404
    assert unknown.json()["resource"] == "reservation"


def test_expiry_frees_stock_with_the_fake_clock(stocked: Api, clock: FakeClock) -> None:
    api = stocked
    reservation = _reserve(api, "o-1", 5, ttl=60).json()
    lamp = api.client.get("/v1/products/LAMP-1", headers=api.staff).json()
    assert sum(level["available"] for level in lamp["stock"]) == 0
    clock.advance(60)
    seen = api.client.get(f"/v1/reservations/{reservation['id']}", headers=api.service)
    assert seen.json()["status"] == "expired"
    lamp = api.client.get("/v1/products/LAMP-1", headers=api.staff).json()
    assert sum(level["available"] for level in lamp["stock"]) == 5
    confirm = api.client.post(f"/v1/reservations/{reservation['id']}/confirm", headers=api.service)
    assert confirm.status_code == 409


def test_confirm_ships_the_units(stocked: Api) -> None:
    api = stocked
    reservation = _reserve(api, "o-1", 4).json()
    url = f"/v1/reservations/{reservation['id']}/confirm"
    assert api.client.post(url, headers=api.service).json()["status"] == "confirmed"
    lamp = api.client.get("/v1/products/LAMP-1", headers=api.staff).json()
    assert sum(level["on_hand"] for level in lamp["stock"]) == 1
    release = api.client.post(f"/v1/reservations/{reservation['id']}/release", headers=api.service)
    assert release.status_code == 409


def test_price_endpoint(stocked: Api) -> None:
    price = stocked.client.get("/v1/prices/LAMP-1", headers=stocked.service)
    assert price.json() == {"sku": "LAMP-1", "amount": 1299, "currency": "EUR"}
    assert stocked.client.get("/v1/prices/NOPE", headers=stocked.service).status_code == 404


def test_facade_contract(stocked: Api, inventory: InventoryApp) -> None:
    facade = inventory.context.facades["inventory"]
    assert isinstance(facade, InventoryFacade)
    assert facade.price_of("LAMP-1") == (1299, "EUR")
    reservation_id = facade.reserve("o-9", [("LAMP-1", 2), ("LAMP-1", 1)])
    assert facade.reserve("o-9", [("LAMP-1", 3)]) == reservation_id
    with pytest.raises(InsufficientStock):
        facade.reserve("o-10", [("LAMP-1", 3)])
    with pytest.raises(UnknownProduct):
        facade.reserve("o-11", [("GHOST", 1)])
    facade.release(reservation_id)
    facade.release(reservation_id)
    confirmed = facade.reserve("o-12", [("LAMP-1", 5)])
    facade.confirm(confirmed)
    facade.confirm(confirmed)


def test_events_are_written_to_the_outbox(stocked: Api, inventory: InventoryApp) -> None:
    reservation = _reserve(stocked, "o-1", 2).json()
    stocked.client.post(f"/v1/reservations/{reservation['id']}/release", headers=stocked.service)
    with inventory.context.session_factory() as session:
        records = session.scalars(select(OutboxRecord).order_by(OutboxRecord.id)).all()
    messages = [(r.topic, json.loads(r.body)) for r in records]
    assert [topic for topic, _ in messages] == [
        "inventory.stock_reserved",
        "inventory.reservation_released",
    ]
    assert messages[0][1]["name"] == "StockReserved"
    assert messages[0][1]["payload"]["lines"] == [["LAMP-1", 2]]
    assert inventory.context.relay.relay_pending() == 2


def test_idempotency_key_replays_or_refuses(stocked: Api) -> None:
    api = stocked
    body = api.shop.reservation.data(order_id="o-1", lines=[{"sku": "LAMP-1", "quantity": 1}])
    headers = api.service | {"Idempotency-Key": "k-1"}
    first = api.client.post("/v1/reservations", json=body, headers=headers)
    assert first.status_code == 201
    rid = first.json()["id"]
    api.client.post(f"/v1/reservations/{rid}/release", headers=api.service)
    replay = api.client.post("/v1/reservations", json=body, headers=headers)
    assert (replay.status_code, replay.json()["id"]) == (200, rid)
    other = {**body, "order_id": "o-2"}
    reused = api.client.post("/v1/reservations", json=other, headers=headers)
    assert reused.status_code == 422
    assert reused.json()["errors"][0]["pointer"] == "/header/Idempotency-Key"
