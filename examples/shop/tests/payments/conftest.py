"""Fixtures of the payments tests: a fake store, unit of work and environment."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from shop.payments.adapters.gateway import SimulatedGateway
from shop.payments.service_layer.environment import PaymentsEnvironment

from .fakes import FakeClock, FakeUnitOfWork, SequentialIds, Store


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
def defects() -> Switches:
    return Switches()


@pytest.fixture
def env(defects: Switches) -> PaymentsEnvironment:
    return PaymentsEnvironment(SimulatedGateway(), FakeClock(), SequentialIds(), defects)
