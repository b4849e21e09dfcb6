"""The orders SQL adapters: saga log round trip, outbox in the same transaction, resume."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import Engine, event, select

from shop.orders.adapters.unit_of_work import SqlOrdersUnitOfWork
from shop.orders.domain.order import OrderStatus
from shop.orders.service_layer import handlers
from shop.orders.service_layer.commands import PlaceOrder
from shop.orders.service_layer.handlers import Orders
from shop.orders.service_layer.idempotency import DuplicateRequest, PlacementRecord, StoredOutcome
from shop.orders.service_layer.unit_of_work import OrderQuery
from shop.platform.database import make_session_factory
from shop.platform.events import InMemoryBus
from shop.platform.outbox import OutboxRelay
from shop.platform.records import OutboxRecord

from .fakes import FakeClock, FakeDownstream, out_of_stock, unavailable

LINES = (("LAMP", 1), ("SOFA", 2))


def place(orders: Orders, method: str = "tok_visa") -> StoredOutcome:
    return handlers.place_order(PlaceOrder("cus_1", LINES, method), orders)


def outbox(engine: Engine) -> list[str]:
    with make_session_factory(engine)() as session:
        bodies = session.scalars(select(OutboxRecord.body).order_by(OutboxRecord.id))
        return [json.loads(body)["name"] for body in bodies]


def test_events_are_written_to_the_outbox_with_the_state_change(
    sql_orders: Orders, engine: Engine
) -> None:
    place(sql_orders)
    assert outbox(engine) == ["OrderPlaced", "OrderConfirmed"]


def test_a_failed_order_logs_its_compensations_and_emits_order_failed(
    sql_orders: Orders, engine: Engine, downstream: FakeDownstream
) -> None:
    downstream.fail["allocate:SOFA"] = out_of_stock
    order_id = place(sql_orders).snapshot["id"]
    order = handlers.get_order(order_id, None, sql_orders)
    assert order.status is OrderStatus.FAILED
    assert [(str(s.ref), s.state.value) for s in order.steps] == [
        ("reserve", "compensated"),
        ("allocate:LAMP", "compensated"),
        ("allocate:SOFA", "failed"),
    ]
    assert outbox(engine) == ["OrderPlaced", "OrderFailed"]


def test_nothing_is_lost_while_the_bus_is_down(sql_orders: Orders, engine: Engine) -> None:
    bus = InMemoryBus()
    bus.available = False
    relay = OutboxRelay(make_session_factory(engine), bus)
    place(sql_orders)
    assert relay.relay_pending() == 0
    assert relay.pending_count() == 2
    bus.available = True
    assert relay.relay_pending() == 2
    assert [message["name"] for _, message in bus.published] == ["OrderPlaced", "OrderConfirmed"]


def test_a_paused_saga_is_resumed_from_the_database(
    sql_orders: Orders, downstream: FakeDownstream, clock: FakeClock
) -> None:
    downstream.fail["confirm"] = unavailable
    order_id = place(sql_orders).snapshot["id"]
    downstream.fail.clear()
    clock.advance(120)
    (resumed,) = handlers.resume_pending(sql_orders, stale_after=timedelta(seconds=60))
    assert (resumed.id, resumed.status) == (order_id, OrderStatus.CONFIRMED)
    assert downstream.calls.count("charge") == 1


@pytest.mark.parametrize("limit", [1, 4])
def test_listing_issues_a_constant_number_of_queries(
    sql_orders: Orders, engine: Engine, limit: int
) -> None:
    for _ in range(5):
        place(sql_orders)
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    page = handlers.list_orders(OrderQuery(limit=limit, customer="cus_1"), sql_orders)
    assert len(page) == limit
    assert all(len(order.steps) == 5 for order in page)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 3


def test_a_placement_key_is_taken_once(engine: Engine) -> None:
    sessions = make_session_factory(engine)
    record = PlacementRecord("cus_1", "k1", "digest", "ord_1")
    with SqlOrdersUnitOfWork(sessions) as uow:
        uow.placements.add(record)
        uow.commit()
    with SqlOrdersUnitOfWork(sessions) as uow, pytest.raises(DuplicateRequest):
        uow.placements.add(PlacementRecord("cus_1", "k1", "digest", "ord_2"))
    with SqlOrdersUnitOfWork(sessions) as uow:
        assert uow.placements.get("cus_1", "k1") == record
