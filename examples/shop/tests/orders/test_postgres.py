"""Orders on a real PostgreSQL: the saga log, and one order per placement key."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Engine, create_engine, func, select

from assay import PostgresDatabase
from shop.orders.adapters.tables import OrderRow
from shop.orders.domain.order import OrderStatus
from shop.orders.service_layer import handlers
from shop.orders.service_layer.commands import PlaceOrder
from shop.orders.service_layer.environment import OrdersEnvironment
from shop.orders.service_layer.idempotency import IdempotencyClaim, StoredOutcome
from shop.platform.database import make_session_factory

from .api_app import wire_orders
from .fakes import FakeDownstream, out_of_stock

RACERS = 4


@pytest.fixture
def pg_engine(fresh_postgres_database: PostgresDatabase) -> Iterator[Engine]:
    """A database of the test's own, cloned from the shop's schema template by assay."""
    engine = create_engine(fresh_postgres_database.url, pool_size=RACERS + 2)
    yield engine
    engine.dispose()


class GatheringDownstream(FakeDownstream):
    """Holds every racer at the price lookup (after the key check, before the insert)."""

    barrier: threading.Barrier | None = None

    def price_of(self, sku: str) -> tuple[int, str]:
        if self.barrier is not None:
            self.barrier.wait()
        return super().price_of(sku)


@pytest.mark.postgres
def test_concurrent_placements_with_one_key_make_one_order(pg_engine: Engine) -> None:
    downstream = GatheringDownstream()
    downstream.barrier = threading.Barrier(RACERS, timeout=20)
    orders = wire_orders(pg_engine, downstream, OrdersEnvironment())
    cmd = PlaceOrder("cus_1", (("LAMP", 1),), "tok_visa", IdempotencyClaim("u", "k", "f"))

    def attempt(_: int) -> StoredOutcome:
        return handlers.place_order(cmd, orders)

    with ThreadPoolExecutor(RACERS) as pool:
        outcomes = list(pool.map(attempt, range(RACERS)))
    assert {outcome.snapshot["id"] for outcome in outcomes} == {outcomes[0].snapshot["id"]}
    assert downstream.calls.count("charge") == 1
    with make_session_factory(pg_engine)() as session:
        assert session.scalar(select(func.count()).select_from(OrderRow)) == 1


@pytest.mark.postgres
def test_the_saga_log_and_compensation_on_postgres(pg_engine: Engine) -> None:
    downstream = FakeDownstream()
    downstream.fail["allocate:SOFA"] = out_of_stock
    orders = wire_orders(pg_engine, downstream, OrdersEnvironment())
    cmd = PlaceOrder("cus_1", (("LAMP", 1), ("SOFA", 1)))
    order_id = handlers.place_order(cmd, orders).snapshot["id"]
    order = handlers.get_order(order_id, "cus_1", orders)
    assert order.status is OrderStatus.FAILED
    assert [step.state.value for step in order.steps] == ["compensated", "compensated", "failed"]
    assert downstream.reserved == {}
