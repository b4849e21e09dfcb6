"""The SQLAlchemy adapters of the inventory on SQLite."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine

from shop.inventory.adapters.repositories import SqlInventoryUnitOfWork
from shop.inventory.domain import Allotment, Money, Product, ProductExists, Reservation
from shop.inventory.domain.reservations import ReservationStatus
from shop.inventory.service_layer.memory import FakeUnitOfWork
from shop.inventory.service_layer.unit_of_work import (
    InventoryUnitOfWork,
    ProductQuery,
    product_sort_key,
)
from shop.platform.database import Base, SessionFactory, make_engine, make_session_factory
from shop.platform.pagination import SortSpec

from .inventory_app import T0


@pytest.fixture
def engine() -> Iterator[Engine]:
    engine = make_engine("sqlite://")
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine) -> SessionFactory:
    return make_session_factory(engine)


def _seed(sessions: SessionFactory) -> None:
    _seed_into(SqlInventoryUnitOfWork(sessions))


def _seed_into(uow: InventoryUnitOfWork) -> None:
    with uow:
        for sku, name, price in (
            ("A-1", "50% off lamp", 300),
            ("B-1", "Desk", 100),
            ("C-1", "Lamp", 300),
            ("D-1", "Chair", 900),
        ):
            uow.products.add(Product(sku, name, Money(price, "EUR"), {"k": sku}))
        uow.commit()


def test_products_round_trip_and_compare_and_set(sessions: SessionFactory) -> None:
    _seed(sessions)
    with SqlInventoryUnitOfWork(sessions) as uow:
        product = uow.products.get("A-1")
        assert product is not None
        assert (product.price, product.attributes) == (Money(300, "EUR"), {"k": "A-1"})
        assert uow.products.replace(product.revised(name="New"), expected_version=1)
        assert not uow.products.replace(product.revised(name="Lost"), expected_version=1)
        with pytest.raises(ProductExists):
            uow.products.add(product)


@pytest.mark.parametrize("kind", ["sql", "fake"])
def test_keyset_pages_in_mixed_order(sessions: SessionFactory, kind: str) -> None:
    """The fake unit of work pages exactly like the SQL one."""
    uow: InventoryUnitOfWork = (
        SqlInventoryUnitOfWork(sessions) if kind == "sql" else FakeUnitOfWork()
    )
    _seed_into(uow)
    sort = SortSpec.parse("-price,sku", ("sku", "name", "price"), "sku", "sku")
    seen: list[str] = []
    after = None
    with uow:
        while True:
            page = uow.products.page(ProductQuery(limit=2, sort=sort, after=after))
            seen += [p.sku for p in page]
            if len(page) < 2:
                break
            after = product_sort_key(page[-1], sort)
        assert seen == ["D-1", "A-1", "C-1", "B-1"]
        percent = uow.products.page(ProductQuery(limit=10, name_contains="%"))
        assert [p.sku for p in percent] == ["A-1"]
        cheap = uow.products.page(ProductQuery(limit=10, min_price=200, max_price=300))
        assert [p.sku for p in cheap] == ["A-1", "C-1"]


def test_stock_upsert_and_reserved_units(sessions: SessionFactory) -> None:
    _seed(sessions)
    with SqlInventoryUnitOfWork(sessions) as uow:
        uow.stock.set_on_hand([("A-1", "east", 3), ("A-1", "east", 5), ("A-1", "west", 1)])
        uow.stock.set_on_hand([("A-1", "east", 6)])
        live = Reservation("r1", "o1", (Allotment("A-1", "east", 2),), T0, T0 + timedelta(60))
        gone = Reservation(
            "r2", "o2", (Allotment("A-1", "east", 1),), T0, T0 + timedelta(seconds=1)
        )
        released = Reservation(
            "r3",
            "o3",
            (Allotment("A-1", "west", 1),),
            T0,
            T0 + timedelta(60),
            ReservationStatus.RELEASED,
        )
        for reservation in (live, gone, released):
            uow.reservations.add(reservation)
        uow.commit()
    with SqlInventoryUnitOfWork(sessions) as uow:
        east, west = uow.stock.levels(["A-1"], T0 + timedelta(seconds=5))["A-1"]
        assert (east.on_hand, east.reserved, east.version) == (6, 2, 2)
        assert (west.on_hand, west.reserved) == (1, 0)
        found = uow.reservations.get("r1")
        assert found is not None
        assert found.expires_at == live.expires_at
        assert found.expires_at.tzinfo is not None
        assert [r.id for r in uow.reservations.for_order("o3")] == ["r3"]
        assert uow.stock.claim([east])
        assert not uow.stock.claim([east])


def test_levels_sum_the_held_units_of_the_asked_skus(sessions: SessionFactory) -> None:
    _seed(sessions)
    later = T0 + timedelta(60)
    with SqlInventoryUnitOfWork(sessions) as uow:
        uow.stock.set_on_hand([("A-1", "east", 9), ("B-1", "east", 9), ("C-1", "east", 9)])
        lines = (Allotment("A-1", "east", 2), Allotment("B-1", "east", 3))
        uow.reservations.add(Reservation("r1", "o1", lines, T0, later))
        uow.reservations.add(Reservation("r2", "o2", (Allotment("B-1", "east", 4),), T0, later))
        uow.commit()
    with SqlInventoryUnitOfWork(sessions) as uow:
        one = uow.stock.levels(["B-1"], T0)
        several = uow.stock.levels(["A-1", "B-1", "C-1", "Z-9"], T0)
    assert [(lv.sku, lv.reserved) for lv in one["B-1"]] == [("B-1", 7)]
    reserved = {sku: [lv.reserved for lv in levels] for sku, levels in several.items()}
    assert reserved == {"A-1": [2], "B-1": [7], "C-1": [0], "Z-9": []}


class _KeyRace(SqlInventoryUnitOfWork):
    """Runs ``twin`` once, right after this unit of work looked for a reservation of its
    order (and found none): the last look before it reads the stock."""

    twin: Callable[[], object] | None = None

    def __enter__(self) -> _KeyRace:
        super().__enter__()
        for_order = self.reservations.for_order

        def none_yet_then_twin(order_id: str) -> list[Reservation]:
            found = for_order(order_id)
            twin, _KeyRace.twin = _KeyRace.twin, None
            if twin is not None:
                twin()
            return found

        self.reservations.for_order = none_yet_then_twin  # type: ignore[method-assign]
        return self


def test_a_retry_racing_its_original_answers_with_the_original(sessions: SessionFactory) -> None:
    """Two requests with one Idempotency-Key at once: the one that stores second gets the
    first's reservation, not the unique constraint's error."""
    from shop.inventory.service_layer import commands, handlers
    from shop.inventory.service_layer.environment import Environment

    from .inventory_app import FakeClock

    env = Environment(clock=FakeClock())
    handlers.create_product(
        commands.CreateProduct("LAMP-1", "Lamp", Money(1, "EUR")), SqlInventoryUnitOfWork(sessions)
    )
    handlers.set_stock(commands.SetStock("LAMP-1", "east", 9), SqlInventoryUnitOfWork(sessions))
    request = commands.Reserve("o-1", [("LAMP-1", 2)], idempotency_key="k-1")
    first: list[handlers.Reserved] = []
    _KeyRace.twin = lambda: first.append(
        handlers.reserve(request, SqlInventoryUnitOfWork(sessions), env)
    )
    second = handlers.reserve(request, _KeyRace(sessions), env)
    assert first[0].created
    assert not second.created
    assert second.reservation.id == first[0].reservation.id
    with SqlInventoryUnitOfWork(sessions) as uow:
        [level] = uow.stock.levels(["LAMP-1"], env.clock())["LAMP-1"]
    assert level.reserved == 2
