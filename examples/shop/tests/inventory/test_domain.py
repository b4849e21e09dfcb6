"""Domain unit tests: money, products, stock plans, reservation life cycle."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shop.inventory.domain import (
    Allotment,
    InvalidMoney,
    InvalidProduct,
    InvalidStock,
    Money,
    Product,
    Reservation,
    ReservationStatus,
    StockLevel,
)
from shop.inventory.domain.reservations import ReservationClosed, merge_lines
from shop.inventory.domain.stock import check_quantity, plan_allotments, total_available

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("amount", "currency"), [(-1, "EUR"), (1.5, "EUR"), (True, "EUR"), (1, "eur"), (1, "EURO")]
)
def test_money_refuses_floats_negatives_and_bad_currencies(amount: object, currency: str) -> None:
    with pytest.raises(InvalidMoney):
        Money(amount, currency)  # type: ignore[arg-type]


def test_money_is_integer_minor_units() -> None:
    assert Money(1299, "EUR").as_tuple() == (1299, "EUR")


def test_product_revision_advances_version_and_keeps_unchanged_fields() -> None:
    product = Product("LAMP-1", "Lamp", Money(1000, "EUR"), {"colour": "red"})
    revised = product.revised(price=Money(1200, "EUR"))
    assert (revised.name, revised.price.amount, revised.version) == ("Lamp", 1200, 2)
    assert revised.attributes == {"colour": "red"}


@pytest.mark.parametrize("sku", ["", "lamp", "LAMP 1", "-LAMP", "X" * 64])
def test_product_refuses_bad_skus(sku: str) -> None:
    with pytest.raises(InvalidProduct):
        Product(sku, "Lamp", Money(1, "EUR"))


def test_product_needs_a_name() -> None:
    with pytest.raises(InvalidProduct):
        Product("LAMP", "  ", Money(1, "EUR"))


def test_stock_level_available_never_negative() -> None:
    assert StockLevel("A", "w1", on_hand=3, reserved=5).available == 0
    assert total_available([StockLevel("A", "w1", 3, 1), StockLevel("A", "w2", 4)]) == 6


@pytest.mark.parametrize("value", [-1, True, 1.0, 10**9 + 1])
def test_quantity_check(value: object) -> None:
    with pytest.raises(InvalidStock):
        check_quantity(value)  # type: ignore[arg-type]


def test_plan_prefers_one_warehouse_that_can_serve_everything() -> None:
    levels = [StockLevel("A", "west", 10), StockLevel("A", "east", 5)]
    assert plan_allotments(levels, 4) == [Allotment("A", "east", 4)]
    assert plan_allotments(levels, 8) == [Allotment("A", "west", 8)]


def test_plan_splits_from_the_fullest_warehouses_first() -> None:
    levels = [StockLevel("A", "a", 2), StockLevel("A", "b", 5), StockLevel("A", "c", 3)]
    assert plan_allotments(levels, 9) == [
        Allotment("A", "b", 5),
        Allotment("A", "c", 3),
        Allotment("A", "a", 1),
    ]


def _reservation() -> Reservation:
    allotments = (Allotment("A", "w", 2), Allotment("B", "w", 1), Allotment("A", "v", 1))
    return Reservation("r1", "o1", allotments, T0, T0 + timedelta(minutes=15))


def test_reservation_expires_at_its_deadline() -> None:
    reservation = _reservation()
    assert reservation.status_at(T0 + timedelta(minutes=14)) is ReservationStatus.PENDING
    assert reservation.status_at(T0 + timedelta(minutes=15)) is ReservationStatus.EXPIRED
    assert not reservation.holds_stock_at(T0 + timedelta(minutes=15))


def test_reservation_quantities_and_matching() -> None:
    reservation = _reservation()
    assert reservation.quantities() == {"A": 3, "B": 1}
    assert reservation.matches([("B", 1), ("A", 2), ("A", 1)])
    assert not reservation.matches([("A", 3)])
    assert merge_lines([("A", 1), ("A", 2)]) == {"A": 3}


def test_release_is_idempotent_and_confirm_refuses_released() -> None:
    released = _reservation().released(T0)
    assert released.status_at(T0) is ReservationStatus.RELEASED
    assert released.released(T0) is released
    with pytest.raises(ReservationClosed):
        released.confirmed(T0)


def test_confirm_is_idempotent_and_cannot_be_released() -> None:
    confirmed = _reservation().confirmed(T0)
    assert confirmed.confirmed(T0).status_at(T0) is ReservationStatus.CONFIRMED
    with pytest.raises(ReservationClosed):
        confirmed.released(T0)


def test_expired_reservation_cannot_be_confirmed_but_release_is_a_no_op() -> None:
    later = T0 + timedelta(hours=1)
    reservation = _reservation()
    with pytest.raises(ReservationClosed):
        reservation.confirmed(later)
    assert reservation.released(later) is reservation
