"""Orders on a real PostgreSQL: the saga log, and one order per placement key."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.exc import OperationalError

from shop.orders.adapters.tables import OrderRow
from shop.orders.domain.order import OrderStatus
from shop.orders.service_layer import handlers
from shop.orders.service_layer.commands import PlaceOrder
from shop.orders.service_layer.environment import OrdersEnvironment
from shop.orders.service_layer.idempotency import IdempotencyClaim, StoredOutcome
from shop.platform.database import Base, make_session_factory

from .api_app import wire_orders
from .fakes import FakeDownstream, out_of_stock

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
RACERS = 4


@pytest.fixture
def pg_engine() -> Iterator[Engine]:
    admin = create_engine(f"{SERVER}/postgres", isolation_level="AUTOCOMMIT")
    name = f"orders_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError:
        admin.dispose()
        if os.environ.get("CI") == "true":
            raise
        pytest.skip("PostgreSQL is not running at 127.0.0.1:5432")
    engine = create_engine(f"{SERVER}/{name}", pool_size=RACERS + 2)
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


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
