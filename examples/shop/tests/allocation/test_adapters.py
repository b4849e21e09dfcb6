"""The SQLAlchemy adapters of allocation on SQLite."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from shop.allocation.adapters.repositories import SqlAllocationUnitOfWork
from shop.allocation.domain import AllocationConflict, Batch, BatchExists, OrderLine, Product
from shop.platform.database import Base, SessionFactory, make_engine, make_session_factory


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
