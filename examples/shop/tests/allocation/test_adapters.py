"""The SQLAlchemy adapters of allocation on SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Engine

from shop.allocation.adapters.repositories import SqlAllocationUnitOfWork
from shop.allocation.domain import AllocationConflict, Batch, BatchExists, OrderLine, Product
from shop.allocation.service_layer import commands, handlers
from shop.allocation.service_layer.memory import FakeUnitOfWork
from shop.allocation.service_layer.unit_of_work import (
    BATCH_SORT_KEYS,
    AllocationUnitOfWork,
    BatchQuery,
    batch_sort_key,
)
from shop.platform.database import Base, SessionFactory, make_engine, make_session_factory
from shop.platform.pagination import SortSpec


@pytest.fixture
def sessions() -> Iterator[SessionFactory]:
    engine: Engine = make_engine("sqlite://")
    Base.metadata.create_all(engine)
    yield make_session_factory(engine)
    engine.dispose()


def _add(sessions: SessionFactory, product: Product) -> None:
    with SqlAllocationUnitOfWork(sessions) as uow:
        uow.products.add(product)
        uow.commit()


def test_aggregate_round_trip_and_stale_save(sessions: SessionFactory) -> None:
    product = Product("LAMP-1")
    product.add_batch(Batch("b-1", "LAMP-1", 5))
    _add(sessions, product)
    with SqlAllocationUnitOfWork(sessions) as uow:
        loaded = uow.products.get("LAMP-1")
        assert loaded is not None
        seen = loaded.version
        loaded.allocate(OrderLine("o-1", "LAMP-1", 2))
        assert uow.products.save(loaded, seen)
        uow.commit()
    with SqlAllocationUnitOfWork(sessions) as uow:
        again = uow.products.for_batch("b-1")
        assert again is not None
        assert again.batches[0].lines == {"o-1": OrderLine("o-1", "LAMP-1", 2)}
        assert not uow.products.save(again, seen)


def test_duplicates_are_conflicts_not_500s(sessions: SessionFactory) -> None:
    first = Product("LAMP-1")
    first.add_batch(Batch("b-1", "LAMP-1", 5))
    _add(sessions, first)
    clash = Product("DESK-1")
    clash.add_batch(Batch("b-1", "DESK-1", 1))
    with pytest.raises(BatchExists):
        _add(sessions, clash)
    with pytest.raises(AllocationConflict):
        _add(sessions, Product("LAMP-1"))


@pytest.mark.parametrize("kind", ["sql", "fake"])
def test_batch_pages_alike_in_sql_and_fake(sessions: SessionFactory, kind: str) -> None:
    uow: AllocationUnitOfWork = (
        SqlAllocationUnitOfWork(sessions) if kind == "sql" else FakeUnitOfWork()
    )
    for reference, sku, quantity in (("b-1", "A", 5), ("b-2", "B", 5), ("b-3", "A", 9)):
        handlers.create_batch(commands.CreateBatch(reference, sku, quantity), uow)
    sort = SortSpec.parse("-quantity", BATCH_SORT_KEYS, "reference", "reference")
    with uow:
        first = uow.views.page(BatchQuery(limit=2, sort=sort))
        rest = uow.views.page(BatchQuery(limit=2, sort=sort, after=batch_sort_key(first[-1], sort)))
        only_a = uow.views.page(BatchQuery(limit=5, sku="A"))
    assert [b.reference for b in first + rest] == ["b-3", "b-1", "b-2"]
    assert [b.reference for b in only_a] == ["b-1", "b-3"]


def _allocated(sessions: SessionFactory, *lines: tuple[str, int]) -> None:
    product = Product("LAMP-1")
    product.add_batch(Batch("b-1", "LAMP-1", 10))
    product.add_batch(Batch("b-2", "LAMP-1", 10, eta=date(2030, 1, 1)))
    for order_id, quantity in lines:
        product.allocate(OrderLine(order_id, "LAMP-1", quantity))
    _add(sessions, product)


def test_for_order_loads_the_orders_line_and_counts_the_others(sessions: SessionFactory) -> None:
    _allocated(sessions, ("o-1", 4), ("o-2", 3), ("o-3", 3))
    with SqlAllocationUnitOfWork(sessions) as uow:
        product = uow.products.for_order("LAMP-1", "o-2")
    assert product is not None
    first, second = product.batches
    assert first.lines == {"o-2": OrderLine("o-2", "LAMP-1", 3)}
    assert (first.other_allocated, first.available_quantity) == (7, 0)
    assert (second.lines, second.other_allocated, second.available_quantity) == ({}, 0, 10)
    with SqlAllocationUnitOfWork(sessions) as uow:
        assert uow.products.for_order("DESK-1", "o-2") is None


def test_a_partial_aggregate_saves_only_the_orders_line(sessions: SessionFactory) -> None:
    _allocated(sessions, ("o-1", 4), ("o-2", 6))
    with SqlAllocationUnitOfWork(sessions) as uow:
        product = uow.products.for_order("LAMP-1", "o-3")
        assert product is not None
        seen = product.version
        assert product.allocate(OrderLine("o-3", "LAMP-1", 2)) == "b-2"  # b-1 is full
        assert product.deallocate("o-1") is None  # not loaded: not this command's line
        assert uow.products.save(product, seen)
        uow.commit()
    with SqlAllocationUnitOfWork(sessions) as uow:
        whole = uow.products.get("LAMP-1")
    assert whole is not None
    assert [sorted(b.lines) for b in whole.batches] == [["o-1", "o-2"], ["o-3"]]
    assert [b.other_allocated for b in whole.batches] == [0, 0]


def test_for_order_of_an_allocated_order_finds_its_batch(sessions: SessionFactory) -> None:
    _allocated(sessions, ("o-1", 4), ("o-2", 6))
    with SqlAllocationUnitOfWork(sessions) as uow:
        product = uow.products.for_order("LAMP-1", "o-1")
        assert product is not None
        seen = product.version
        assert product.allocate(OrderLine("o-1", "LAMP-1", 4)) == "b-1"  # a retry
        assert product.deallocate("o-1") == OrderLine("o-1", "LAMP-1", 4)
        assert uow.products.save(product, seen)
        uow.commit()
    with SqlAllocationUnitOfWork(sessions) as uow:
        whole = uow.products.get("LAMP-1")
    assert whole is not None
    assert [sorted(b.lines) for b in whole.batches] == [["o-2"], []]
