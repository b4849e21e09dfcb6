"""The inventory on a real PostgreSQL: repositories, reservations under real concurrency."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Engine

from assay import PostgresDatabase
from shop.inventory.adapters.repositories import SqlInventoryUnitOfWork
from shop.inventory.domain import InsufficientStock, Money, ReservationConflict
from shop.inventory.service_layer import commands, handlers
from shop.inventory.service_layer.environment import Environment
from shop.inventory.service_layer.facade import InventoryFacade
from shop.platform.database import make_engine, make_session_factory

from .inventory_app import FakeClock


@pytest.fixture
def pg_engine(fresh_postgres_database: PostgresDatabase) -> Iterator[Engine]:
    """A database of the test's own, cloned from the shop's schema template by assay."""
    engine = make_engine(fresh_postgres_database.url)
    yield engine
    engine.dispose()


@pytest.mark.postgres
def test_concurrent_reservations_never_oversell(pg_engine: Engine) -> None:
    sessions = make_session_factory(pg_engine)
    env = Environment(clock=FakeClock())

    def uow() -> SqlInventoryUnitOfWork:
        return SqlInventoryUnitOfWork(sessions)

    handlers.create_product(commands.CreateProduct("LAMP-1", "Lamp", Money(1, "EUR")), uow())
    handlers.set_stock(commands.SetStock("LAMP-1", "east", 5), uow())
    facade = InventoryFacade(uow, env)
    start = threading.Barrier(8)

    def reserve(n: int) -> bool:
        start.wait()
        try:
            facade.reserve(f"o-{n}", [("LAMP-1", 1)])
        except (InsufficientStock, ReservationConflict):
            return False
        return True

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(reserve, range(8)))
    with uow() as check:
        [level] = check.stock.levels(["LAMP-1"], env.clock())["LAMP-1"]
    assert level.reserved == sum(outcomes) <= 5
    assert sum(outcomes) >= 1


@pytest.mark.postgres
def test_import_export_and_paging_on_postgres(pg_engine: Engine) -> None:
    sessions = make_session_factory(pg_engine)
    env = Environment(clock=FakeClock())

    def uow() -> SqlInventoryUnitOfWork:
        return SqlInventoryUnitOfWork(sessions)

    for sku, price in (("A-1", 300), ("B-1", 100), ("C-1", 300)):
        handlers.create_product(
            commands.CreateProduct(sku, f"Item {sku}", Money(price, "EUR")), uow()
        )
    rows = [(sku, f"w{n}", n) for sku in ("A-1", "B-1", "C-1") for n in range(3)]
    assert handlers.import_stock(commands.ImportStock(rows), uow(), env) == 9
    assert handlers.import_stock(commands.ImportStock(rows[:1]), uow(), env) == 1
    with uow() as check:
        assert len(list(check.stock.export(None, env.clock()))) == 9
        assert [lv.warehouse for lv in check.stock.export("w1", env.clock())] == ["w1"] * 3
