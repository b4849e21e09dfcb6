"""Each seeded defect of the inventory changes behaviour only when switched on."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from shop.inventory.adapters.repositories import SqlInventoryUnitOfWork
from shop.inventory.domain import InsufficientStock, Money, ReservationConflict
from shop.inventory.service_layer import commands, defects, handlers
from shop.inventory.service_layer.environment import Environment
from shop.platform.database import Base, make_engine, make_session_factory
from shop.platform.defects import KNOWN_DEFECTS, Defects

from .conftest import Api
from .inventory_app import FakeClock, InventoryApp

ApiWith = Callable[..., Api]


def test_every_defect_is_registered_with_a_description() -> None:
    for name in (
        defects.NEGATIVE_STOCK,
        defects.N_PLUS_ONE,
        defects.RESERVATION_RACE,
        defects.FLOAT_MONEY,
    ):
        assert name.startswith("inventory-")
        assert len(KNOWN_DEFECTS[name]) > 40


def _negative_import(api: Api) -> Any:
    api.create("LAMP-1")
    csv_body = "sku,warehouse,quantity\r\nLAMP-1,east,-5\r\n"
    headers = api.staff | {"Content-Type": "text/csv"}
    return api.client.post("/v1/stock/imports", content=csv_body, headers=headers)


def test_negative_stock_defect(api_with: ApiWith) -> None:
    assert _negative_import(api_with()).status_code == 422
    broken = api_with(defects.NEGATIVE_STOCK)
    assert _negative_import(broken).status_code == 200
    response = broken.client.get("/v1/products/LAMP-1", headers=broken.staff)
    assert response.status_code == 500
    assert "Traceback" not in response.text
    assert "on_hand" not in response.text


def test_float_money_defect(api_with: ApiWith) -> None:
    for switched, expected in (((), 1299), ((defects.FLOAT_MONEY,), 12.99)):
        api = api_with(*switched)
        api.create("LAMP-1", price=1299)
        body = api.client.get("/v2/products/LAMP-1", headers=api.staff).json()
        assert body["price"]["amount"] == expected


def test_n_plus_one_defect(build: Callable[..., InventoryApp]) -> None:
    from starlette.testclient import TestClient

    def statements(app: InventoryApp, limit: int) -> int:
        with TestClient(app.app, base_url="https://testserver") as client:
            api = Api(client)
            for n in range(limit):
                api.create(f"P-{n}")

            def read() -> None:
                client.get(f"/v1/products?limit={limit}", headers=api.staff)

            return app.counter.measure(read)

    assert statements(build(), 2) == statements(build(), 8)
    assert statements(build(defects.N_PLUS_ONE), 8) > statements(build(defects.N_PLUS_ONE), 2)


class Interleaved(SqlInventoryUnitOfWork):
    """Runs ``competitor`` once, right after this unit of work read the stock levels."""

    competitor: Callable[[], object] | None = None

    def __enter__(self) -> Interleaved:
        super().__enter__()
        read = self.stock.levels

        def levels_then_compete(*args: Any) -> Any:
            found = read(*args)
            competitor, Interleaved.competitor = Interleaved.competitor, None
            if competitor is not None:
                competitor()
            return found

        self.stock.levels = levels_then_compete  # type: ignore[method-assign]
        return self


@pytest.mark.parametrize("race_defect", [False, True])
def test_reservation_race_defect(tmp_path: Path, race_defect: bool) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'race.db'}")
    Base.metadata.create_all(engine)
    sessions = make_session_factory(engine)
    switched = Defects([defects.RESERVATION_RACE] if race_defect else [])
    env = Environment(clock=FakeClock(), defects=switched)
    handlers.create_product(
        commands.CreateProduct("LAMP-1", "Lamp", Money(1, "EUR")), SqlInventoryUnitOfWork(sessions)
    )
    handlers.set_stock(commands.SetStock("LAMP-1", "east", 5), SqlInventoryUnitOfWork(sessions))

    def competitor() -> object:
        return handlers.reserve(
            commands.Reserve("o-b", [("LAMP-1", 4)]), SqlInventoryUnitOfWork(sessions), env
        )

    Interleaved.competitor = competitor
    slow = commands.Reserve("o-a", [("LAMP-1", 3)])
    if race_defect:
        handlers.reserve(slow, Interleaved(sessions), env)
        with SqlInventoryUnitOfWork(sessions) as uow:
            levels = uow.stock.levels(["LAMP-1"], env.clock())["LAMP-1"]
        assert levels[0].reserved == 7  # oversold: 7 units held out of 5
    else:
        with pytest.raises(InsufficientStock):
            handlers.reserve(slow, Interleaved(sessions), env)
    engine.dispose()


def test_concurrent_reservations_never_oversell_in_one_process() -> None:
    engine = make_engine("sqlite://")
    Base.metadata.create_all(engine)
    sessions = make_session_factory(engine)

    def uow() -> SqlInventoryUnitOfWork:
        return SqlInventoryUnitOfWork(sessions)

    handlers.create_product(commands.CreateProduct("LAMP-1", "Lamp", Money(1, "EUR")), uow())
    handlers.set_stock(commands.SetStock("LAMP-1", "east", 5), uow())
    env = Environment(clock=FakeClock())
    start = threading.Barrier(12)

    def reserve(n: int) -> bool:
        start.wait()
        try:
            handlers.reserve(commands.Reserve(f"o-{n}", [("LAMP-1", 1)]), uow(), env)
        except (InsufficientStock, ReservationConflict):
            return False
        return True

    with ThreadPoolExecutor(12) as pool:
        won = sum(pool.map(reserve, range(12)))
    with uow() as check:
        [level] = check.stock.levels(["LAMP-1"], env.clock())["LAMP-1"]
    assert level.reserved == won <= 5
    engine.dispose()
