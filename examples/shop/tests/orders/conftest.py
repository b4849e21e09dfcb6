"""Fixtures of the orders tests: fake store, unit of work, downstream ports and clock."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from shop.orders.service_layer.environment import OrdersEnvironment
from shop.orders.service_layer.handlers import Orders
from shop.orders.service_layer.ports import Downstream
from shop.orders.service_layer.saga import OrderSaga

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
