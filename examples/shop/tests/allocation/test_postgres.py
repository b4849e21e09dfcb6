"""Allocation on a real PostgreSQL: concurrent allocations respect batch quantities."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from sqlalchemy import Engine

from assay import PostgresDatabase
from shop.allocation.adapters.repositories import SqlAllocationUnitOfWork
from shop.allocation.domain import AllocationConflict, OutOfStock
from shop.allocation.service_layer import commands, handlers
from shop.allocation.service_layer.facade import AllocationFacade
from shop.platform.database import make_engine, make_session_factory


@pytest.fixture
def pg_engine(fresh_postgres_database: PostgresDatabase) -> Iterator[Engine]:
    """A database of the test's own, cloned from the shop's schema template by assay."""
    engine = make_engine(fresh_postgres_database.url)
    yield engine
    engine.dispose()


@pytest.mark.postgres
def test_concurrent_allocations_respect_the_batch(pg_engine: Engine) -> None:
    sessions = make_session_factory(pg_engine)

    def uow() -> SqlAllocationUnitOfWork:
        return SqlAllocationUnitOfWork(sessions)

    handlers.create_batch(commands.CreateBatch("stock", "LAMP-1", 5), uow())
    facade = AllocationFacade(uow)
    start = threading.Barrier(8)

    def allocate(n: int) -> bool:
        start.wait()
        try:
            facade.allocate(f"o-{n}", "LAMP-1", 1)
        except (OutOfStock, AllocationConflict):
            return False
        return True

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(allocate, range(8)))
    with uow() as check:
        batch = check.views.batch("stock")
    assert batch is not None
    assert batch.allocated_quantity == sum(outcomes) <= 5
    assert batch.available_quantity >= 0


@pytest.mark.postgres
def test_reallocation_rewrites_rows_on_postgres(pg_engine: Engine) -> None:
    sessions = make_session_factory(pg_engine)

    def uow() -> SqlAllocationUnitOfWork:
        return SqlAllocationUnitOfWork(sessions)

    handlers.create_batch(commands.CreateBatch("stock", "LAMP-1", 5), uow())
    handlers.create_batch(commands.CreateBatch("ship", "LAMP-1", 5, date(2026, 3, 1)), uow())
    handlers.allocate(commands.Allocate("o-1", "LAMP-1", 2), uow())
    handlers.allocate(commands.Allocate("o-2", "LAMP-1", 3), uow())
    handlers.change_batch_quantity(commands.ChangeBatchQuantity("stock", 2), uow())
    with uow() as check:
        assert [ref for _, ref in check.views.lines_of("o-2")] == ["ship"]
        assert [ref for _, ref in check.views.lines_of("o-1")] == ["stock"]
