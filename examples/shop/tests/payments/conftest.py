"""Fixtures of the payments tests: a fake store, unit of work and environment."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient

from shop.identity.keys import SigningKey
from shop.payments.adapters.gateway import SimulatedGateway
from shop.payments.service_layer.environment import PaymentsEnvironment
from shop.platform.database import Base, make_engine

from .api_app import Caller, make_app, open_client, sign_in
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
def client(engine: Engine, signing_key: SigningKey, defects: Switches) -> Iterator[TestClient]:
    yield from open_client(make_app(engine, signing_key, defects))


@pytest.fixture
def ada(client: TestClient) -> Caller:
    return sign_in(client, "ada")


@pytest.fixture
def bob(client: TestClient) -> Caller:
    return sign_in(client, "bob")


@pytest.fixture
def staff(client: TestClient) -> Caller:
    return sign_in(client, "grace")
