"""Domain unit tests of the allocation aggregate."""

from __future__ import annotations

from datetime import date

import pytest

from shop.allocation.domain import Batch, InvalidAllocation, OrderLine, Product
from shop.allocation.domain.events import Allocated, Deallocated, OutOfStock

TODAY = date(2026, 1, 1)
TOMORROW = date(2026, 1, 2)
LATER = date(2026, 2, 1)


def _product(*batches: Batch) -> Product:
    product = Product("LAMP")
    for batch in batches:
        product.add_batch(batch)
    return product


def test_warehouse_stock_is_preferred_to_shipments() -> None:
    product = _product(Batch("ship", "LAMP", 10, TOMORROW), Batch("stock", "LAMP", 10))
    assert product.allocate(OrderLine("o1", "LAMP", 3)) == "stock"


def test_earliest_shipment_is_preferred() -> None:
    product = _product(
        Batch("late", "LAMP", 10, LATER),
        Batch("soon", "LAMP", 10, TOMORROW),
        Batch("today", "LAMP", 10, TODAY),
    )
    assert product.allocate(OrderLine("o1", "LAMP", 3)) == "today"


def test_a_full_batch_is_skipped() -> None:
    product = _product(Batch("stock", "LAMP", 2), Batch("ship", "LAMP", 10, TOMORROW))
    assert product.allocate(OrderLine("o1", "LAMP", 3)) == "ship"


def test_allocation_records_an_event_and_reduces_availability() -> None:
    product = _product(Batch("b1", "LAMP", 10))
    product.allocate(OrderLine("o1", "LAMP", 4))
    assert product.batches[0].available_quantity == 6
    [event] = product.events
    assert isinstance(event, Allocated)
    assert (event.order_id, event.quantity, event.batch_reference) == ("o1", 4, "b1")


def test_allocating_the_same_order_again_is_idempotent() -> None:
    product = _product(Batch("b1", "LAMP", 10))
    product.allocate(OrderLine("o1", "LAMP", 4))
    assert product.allocate(OrderLine("o1", "LAMP", 4)) == "b1"
    assert product.batches[0].available_quantity == 6
    assert len(product.events) == 1


def test_out_of_stock_records_an_event() -> None:
    product = _product(Batch("b1", "LAMP", 1))
    assert product.allocate(OrderLine("o1", "LAMP", 2)) is None
    [event] = product.events
    assert isinstance(event, OutOfStock)
    assert (event.sku, event.order_id, event.quantity) == ("LAMP", "o1", 2)


def test_deallocate_frees_the_line_once() -> None:
    product = _product(Batch("b1", "LAMP", 10))
    product.allocate(OrderLine("o1", "LAMP", 4))
    assert product.deallocate("o1") == OrderLine("o1", "LAMP", 4)
    assert product.deallocate("o1") is None
    assert product.batches[0].available_quantity == 10
    assert [type(e) for e in product.events] == [Allocated, Deallocated]


def test_reducing_a_batch_moves_the_latest_lines_elsewhere() -> None:
    product = _product(Batch("stock", "LAMP", 10), Batch("ship", "LAMP", 10, TOMORROW))
    for order in ("o1", "o2", "o3"):
        product.allocate(OrderLine(order, "LAMP", 3))
    product.events.clear()
    product.change_batch_quantity("stock", 5)
    stock, ship = product.batch("stock"), product.batch("ship")
    assert stock is not None
    assert ship is not None
    assert sorted(stock.lines) == ["o1"]
    assert sorted(ship.lines) == ["o2", "o3"]
    names = [e.name for e in product.events]
    assert names == ["Deallocated", "Allocated", "Deallocated", "Allocated"]


def test_lines_that_fit_nowhere_are_reported_out_of_stock() -> None:
    product = _product(Batch("stock", "LAMP", 10))
    product.allocate(OrderLine("o1", "LAMP", 6))
    product.change_batch_quantity("stock", 4)
    assert product.batch("stock") is not None
    assert [e.name for e in product.events][-2:] == ["Deallocated", "OutOfStock"]


def test_units_of_lines_not_loaded_count_against_availability() -> None:
    product = _product(Batch("stock", "LAMP", 10, other_allocated=8))
    assert product.allocate(OrderLine("o1", "LAMP", 3)) is None  # only 2 left
    assert product.allocate(OrderLine("o2", "LAMP", 2)) == "stock"
    assert product.batches[0].available_quantity == 0


def test_a_batch_without_all_its_lines_cannot_move_them() -> None:
    product = _product(Batch("stock", "LAMP", 10, other_allocated=8))
    with pytest.raises(InvalidAllocation):
        product.change_batch_quantity("stock", 4)


def test_invalid_values_are_refused() -> None:
    with pytest.raises(InvalidAllocation):
        OrderLine("o1", "LAMP", 0)
    with pytest.raises(InvalidAllocation):
        Batch("b", "LAMP", -1)
    with pytest.raises(InvalidAllocation):
        _product().add_batch(Batch("b", "DESK", 1))
    with pytest.raises(KeyError):
        _product().change_batch_quantity("nope", 1)
