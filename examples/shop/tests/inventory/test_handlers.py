"""Service-layer tests on the fake unit of work, with a fake clock and fixed ids."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from shop.inventory.domain import (
    InsufficientStock,
    InvalidImport,
    Money,
    ProductExists,
    Reservation,
    ReservationConflict,
    ReservationStatus,
    StaleProduct,
    UnknownProduct,
    UnknownReservation,
)
from shop.inventory.service_layer import commands, defects, handlers
from shop.inventory.service_layer.environment import Environment
from shop.inventory.service_layer.memory import FakeUnitOfWork

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


@dataclass
class Clock:
    now: datetime = T0

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Switches:
    names: set[str] = field(default_factory=set)

    def on(self, name: str) -> bool:
        return name in self.names


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def switches() -> Switches:
    return Switches()


@pytest.fixture
def env(clock: Clock, switches: Switches) -> Environment:
    counter = itertools.count(1)
    return Environment(clock=clock, new_id=lambda: f"res_{next(counter)}", defects=switches)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    for sku in ("LAMP", "DESK"):
        handlers.create_product(commands.CreateProduct(sku, sku.title(), Money(500, "EUR")), uow)
    handlers.set_stock(commands.SetStock("LAMP", "east", 3), uow)
    handlers.set_stock(commands.SetStock("LAMP", "west", 4), uow)
    handlers.set_stock(commands.SetStock("DESK", "east", 1), uow)
    return uow


def _reserve(cmd: commands.Reserve, uow: FakeUnitOfWork, env: Environment) -> Reservation:
    return handlers.reserve(cmd, uow, env).reservation


def _available(uow: FakeUnitOfWork, sku: str, now: datetime) -> int:
    return sum(level.available for level in uow.stock.levels([sku], now)[sku])


def test_create_product_twice_conflicts(uow: FakeUnitOfWork) -> None:
    with pytest.raises(ProductExists):
        handlers.create_product(commands.CreateProduct("LAMP", "x", Money(1, "EUR")), uow)


def test_revise_product_checks_the_version(uow: FakeUnitOfWork) -> None:
    revised = handlers.revise_product(commands.ReviseProduct("LAMP", 1, name="Big lamp"), uow)
    assert (revised.name, revised.version) == ("Big lamp", 2)
    with pytest.raises(StaleProduct):
        handlers.revise_product(commands.ReviseProduct("LAMP", 1, name="Again"), uow)
    with pytest.raises(UnknownProduct):
        handlers.revise_product(commands.ReviseProduct("NOPE", 1), uow)


def test_reserve_holds_units_and_emits_an_event(uow: FakeUnitOfWork, env: Environment) -> None:
    reservation = handlers.reserve(
        commands.Reserve("o1", [("LAMP", 5), ("DESK", 1)]), uow, env
    ).reservation
    assert reservation.id == "res_1"
    assert reservation.quantities() == {"LAMP": 5, "DESK": 1}
    assert _available(uow, "LAMP", T0) == 2
    assert [topic for topic, _ in uow.events] == ["inventory.stock_reserved"]


def test_reserve_is_all_or_nothing(uow: FakeUnitOfWork, env: Environment) -> None:
    with pytest.raises(InsufficientStock) as caught:
        _reserve(commands.Reserve("o1", [("LAMP", 1), ("DESK", 2)]), uow, env)
    assert (caught.value.sku, caught.value.available, caught.value.status) == ("DESK", 1, 409)
    assert _available(uow, "LAMP", T0) == 7
    assert uow.reservations.rows == {}


def test_reserve_unknown_product_is_404(uow: FakeUnitOfWork, env: Environment) -> None:
    with pytest.raises(UnknownProduct) as caught:
        _reserve(commands.Reserve("o1", [("GHOST", 1)]), uow, env)
    assert caught.value.status == 404
    assert "GHOST" in caught.value.detail


def test_reserve_names_the_unknown_product_among_stocked_ones(
    uow: FakeUnitOfWork, env: Environment
) -> None:
    with pytest.raises(UnknownProduct) as caught:
        _reserve(commands.Reserve("o1", [("LAMP", 1), ("GHOST", 1)]), uow, env)
    assert "GHOST" in caught.value.detail
    assert _available(uow, "LAMP", T0) == 7


def test_reserve_a_product_without_stock_is_insufficient_not_unknown(
    uow: FakeUnitOfWork, env: Environment
) -> None:
    handlers.create_product(commands.CreateProduct("SOFA", "Sofa", Money(900, "EUR")), uow)
    with pytest.raises(InsufficientStock) as caught:
        _reserve(commands.Reserve("o1", [("SOFA", 1)]), uow, env)
    assert (caught.value.sku, caught.value.available) == ("SOFA", 0)


def test_reserve_again_for_the_same_order_is_idempotent(
    uow: FakeUnitOfWork, env: Environment
) -> None:
    first = _reserve(commands.Reserve("o1", [("LAMP", 2)]), uow, env)
    again = _reserve(commands.Reserve("o1", [("LAMP", 2)]), uow, env)
    assert again.id == first.id
    assert _available(uow, "LAMP", T0) == 5
    with pytest.raises(ReservationConflict):
        _reserve(commands.Reserve("o1", [("LAMP", 3)]), uow, env)


def test_expired_reservations_free_their_stock(
    uow: FakeUnitOfWork, env: Environment, clock: Clock
) -> None:
    _reserve(commands.Reserve("o1", [("LAMP", 7)], ttl_seconds=60), uow, env)
    with pytest.raises(InsufficientStock):
        _reserve(commands.Reserve("o2", [("LAMP", 1)]), uow, env)
    clock.now = T0 + timedelta(seconds=60)
    assert _available(uow, "LAMP", clock.now) == 7
    assert _reserve(commands.Reserve("o2", [("LAMP", 7)]), uow, env).order_id == "o2"


def test_release_gives_stock_back_once(uow: FakeUnitOfWork, env: Environment) -> None:
    reservation = _reserve(commands.Reserve("o1", [("LAMP", 7)]), uow, env)
    released = handlers.release(commands.Release(reservation.id), uow, env)
    assert released.status_at(T0) is ReservationStatus.RELEASED
    handlers.release(commands.Release(reservation.id), uow, env)
    assert _available(uow, "LAMP", T0) == 7
    topics = [topic for topic, _ in uow.events]
    assert topics == ["inventory.stock_reserved", "inventory.reservation_released"]
    with pytest.raises(UnknownReservation):
        handlers.release(commands.Release("res_nope"), uow, env)


def test_confirm_takes_units_off_hand(uow: FakeUnitOfWork, env: Environment) -> None:
    reservation = _reserve(commands.Reserve("o1", [("LAMP", 5)]), uow, env)
    handlers.confirm(commands.Confirm(reservation.id), uow, env)
    handlers.confirm(commands.Confirm(reservation.id), uow, env)
    levels = uow.stock.levels(["LAMP"], T0)["LAMP"]
    assert sum(level.on_hand for level in levels) == 2
    assert sum(level.reserved for level in levels) == 0
    with pytest.raises(ReservationConflict):
        handlers.release(commands.Release(reservation.id), uow, env)


def test_confirm_after_expiry_conflicts(
    uow: FakeUnitOfWork, env: Environment, clock: Clock
) -> None:
    reservation = _reserve(commands.Reserve("o1", [("LAMP", 1)], 30), uow, env)
    clock.now = T0 + timedelta(minutes=1)
    with pytest.raises(ReservationConflict):
        handlers.confirm(commands.Confirm(reservation.id), uow, env)


@pytest.mark.parametrize("lines", [[("LAMP", 0)], [("LAMP", -2)]])
def test_reserve_refuses_non_positive_quantities(
    uow: FakeUnitOfWork, env: Environment, lines: list[tuple[str, int]]
) -> None:
    with pytest.raises(ReservationConflict):
        _reserve(commands.Reserve("o1", lines), uow, env)


def test_import_sets_counts_or_refuses_everything(uow: FakeUnitOfWork, env: Environment) -> None:
    rows = [("LAMP", "east", 10), ("DESK", "north", 2)]
    assert handlers.import_stock(commands.ImportStock(rows), uow, env) == 2
    assert _available(uow, "DESK", T0) == 3
    bad = [("LAMP", "east", 1), ("GHOST", "east", 1), ("DESK", "BAD CODE", 1)]
    with pytest.raises(InvalidImport) as caught:
        handlers.import_stock(commands.ImportStock(bad), uow, env)
    assert [row for row, _ in caught.value.rows] == [2]
    assert _available(uow, "LAMP", T0) == 14


def test_negative_stock_defect_lets_untrusted_rows_through(
    uow: FakeUnitOfWork, env: Environment, switches: Switches
) -> None:
    rows = [("LAMP", "east", -5)]
    with pytest.raises(InvalidImport):
        handlers.import_stock(commands.ImportStock(rows, trusted_quantities=False), uow, env)
    switches.names.add(defects.NEGATIVE_STOCK)
    handlers.import_stock(commands.ImportStock(rows, trusted_quantities=False), uow, env)
    assert uow.stock.levels(["LAMP"], T0)["LAMP"][0].on_hand == -5
