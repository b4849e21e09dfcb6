"""The SQLAlchemy adapters of allocation on SQLite."""

from __future__ import annotations

from collections.abc import Iterator

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
