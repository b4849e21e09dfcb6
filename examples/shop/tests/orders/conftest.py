"""Fixtures of the orders tests: fake store, unit of work, downstream ports and clock."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient

from shop.identity.keys import SigningKey
from shop.orders.service_layer.environment import OrdersEnvironment
from shop.orders.service_layer.handlers import Orders
from shop.orders.service_layer.ports import Downstream
from shop.orders.service_layer.saga import OrderSaga
from shop.platform.database import Base, make_engine

from .api_app import Caller, make_app, open_client, sign_in, wire_orders
from .fakes import FakeClock, FakeDownstream, FakeUnitOfWork, SequentialIds, Store


@dataclass
class Switches:
    names: set[str] = field(default_factory=set)

    def on(self, name: str) -> bool:
        return name in self.names


@pytest.fixture
def store() -> Store:
    return Store()


@pytest.fixture
def uow(store: Store) -> FakeUnitOfWork:
    return FakeUnitOfWork(store)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def defects() -> Switches:
    return Switches()


@pytest.fixture
def downstream() -> FakeDownstream:
    return FakeDownstream()


@pytest.fixture
def orders(
    uow: FakeUnitOfWork, downstream: FakeDownstream, clock: FakeClock, defects: Switches
) -> Orders:
    env = OrdersEnvironment(clock, SequentialIds(), defects)
    ports = Downstream(downstream, downstream, downstream)
    return Orders(uow, OrderSaga(uow, ports, env), downstream, env)


@pytest.fixture(scope="session")
def signing_key() -> SigningKey:
    return SigningKey.generate()


@pytest.fixture
def engine() -> Iterator[Engine]:
    engine = make_engine("sqlite://")
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def sql_orders(
    engine: Engine, downstream: FakeDownstream, clock: FakeClock, defects: Switches
) -> Orders:
    return wire_orders(engine, downstream, OrdersEnvironment(clock, SequentialIds(), defects))


@pytest.fixture
def client(sql_orders: Orders, signing_key: SigningKey) -> Iterator[TestClient]:
    yield from open_client(make_app(sql_orders, signing_key))


@pytest.fixture
def ada(client: TestClient) -> Caller:
    return sign_in(client, "ada")


@pytest.fixture
def bob(client: TestClient) -> Caller:
    return sign_in(client, "bob")


@pytest.fixture
def staff(client: TestClient) -> Caller:
    return sign_in(client, "grace")
