"""Fixtures: a one-process app around the fake widgets service, a client, a live server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

from shop.bootstrap import create_app
from shop.platform.database import Base, SessionFactory, make_engine, make_session_factory
from shop.platform.events import InMemoryBus
from shop.platform.outbox import OutboxRelay
from shop.platform.settings import ShopSettings

from .fake_service import SERVICE


@pytest.fixture
def settings() -> ShopSettings:
    return ShopSettings(password_cost=4, cors_origins=("https://console.shop.example",))


@pytest.fixture
def app(settings: ShopSettings) -> FastAPI:
    return create_app(settings, services=[SERVICE])


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="https://testserver", raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def session_factory() -> Iterator[SessionFactory]:
    engine = make_engine("sqlite://")
    Base.metadata.create_all(engine)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def bus() -> InMemoryBus:
    return InMemoryBus()


@pytest.fixture
def relay(session_factory: SessionFactory, bus: InMemoryBus) -> OutboxRelay:
    return OutboxRelay(session_factory, bus)
