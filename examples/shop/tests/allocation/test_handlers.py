"""Service-layer tests of allocation on the fake unit of work."""

from __future__ import annotations

from datetime import date

import pytest

from shop.allocation.domain import BatchExists, OutOfStock, StaleBatch, UnknownBatch, UnknownSku
from shop.allocation.service_layer import commands, handlers
from shop.allocation.service_layer.memory import FakeUnitOfWork


@pytest.fixture
def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    handlers.create_batch(commands.CreateBatch("ship-1", "LAMP", 10, date(2026, 3, 1)), uow)
    handlers.create_batch(commands.CreateBatch("stock-1", "LAMP", 5), uow)
    return uow


def test_allocate_prefers_warehouse_stock(uow: FakeUnitOfWork) -> None:
    assert handlers.allocate(commands.Allocate("o1", "LAMP", 5), uow) == "stock-1"
    assert handlers.allocate(commands.Allocate("o2", "LAMP", 1), uow) == "ship-1"
    assert [e.name for _, e in uow.events] == ["Allocated", "Allocated"]
    assert {topic for topic, _ in uow.events} == {"allocation.events"}


def test_allocate_is_idempotent_per_order_and_sku(uow: FakeUnitOfWork) -> None:
    handlers.allocate(commands.Allocate("o1", "LAMP", 3), uow)
    assert handlers.allocate(commands.Allocate("o1", "LAMP", 3), uow) == "stock-1"
    assert uow.views.lines_of("o1")[0][1] == "stock-1"
    assert len(uow.views.lines_of("o1")) == 1


def test_out_of_stock_raises_and_still_publishes_the_event(uow: FakeUnitOfWork) -> None:
    with pytest.raises(OutOfStock) as caught:
        handlers.allocate(commands.Allocate("o1", "LAMP", 11), uow)
    assert caught.value.status == 409
    assert [e.name for _, e in uow.events] == ["OutOfStock"]


def test_unknown_sku_is_404(uow: FakeUnitOfWork) -> None:
    with pytest.raises(UnknownSku):
        handlers.allocate(commands.Allocate("o1", "GHOST", 1), uow)


def test_deallocate_is_idempotent(uow: FakeUnitOfWork) -> None:
    handlers.allocate(commands.Allocate("o1", "LAMP", 3), uow)
    assert handlers.deallocate(commands.Deallocate("o1", "LAMP"), uow)
    assert not handlers.deallocate(commands.Deallocate("o1", "LAMP"), uow)
    assert not handlers.deallocate(commands.Deallocate("o1", "GHOST"), uow)
    assert [e.name for _, e in uow.events] == ["Allocated", "Deallocated"]


def test_duplicate_batch_reference_conflicts(uow: FakeUnitOfWork) -> None:
    with pytest.raises(BatchExists):
        handlers.create_batch(commands.CreateBatch("stock-1", "DESK", 1), uow)


def test_change_batch_quantity_reallocates(uow: FakeUnitOfWork) -> None:
    handlers.allocate(commands.Allocate("o1", "LAMP", 2), uow)
    handlers.allocate(commands.Allocate("o2", "LAMP", 3), uow)
    batch = handlers.change_batch_quantity(commands.ChangeBatchQuantity("stock-1", 2), uow)
    assert sorted(batch.lines) == ["o1"]
    assert uow.views.lines_of("o2") == [(uow.views.lines_of("o2")[0][0], "ship-1")]
    names = [e.name for _, e in uow.events]
    assert names[-2:] == ["Deallocated", "Allocated"]


def test_change_batch_quantity_checks_version_and_reference(uow: FakeUnitOfWork) -> None:
    with pytest.raises(UnknownBatch):
        handlers.change_batch_quantity(commands.ChangeBatchQuantity("nope", 1), uow)
    with pytest.raises(StaleBatch):
        handlers.change_batch_quantity(commands.ChangeBatchQuantity("stock-1", 1, 99), uow)


def test_a_lost_race_is_retried(uow: FakeUnitOfWork, monkeypatch: pytest.MonkeyPatch) -> None:
    real_save = uow.products.save
    calls = {"n": 0}

    def flaky_save(product: object, seen: int) -> bool:
        calls["n"] += 1
        return False if calls["n"] == 1 else real_save(product, seen)  # type: ignore[arg-type]

    monkeypatch.setattr(uow.products, "save", flaky_save)
    assert handlers.allocate(commands.Allocate("o1", "LAMP", 1), uow) == "stock-1"
    assert calls["n"] == 2
