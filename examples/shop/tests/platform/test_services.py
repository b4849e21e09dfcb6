"""The service contract: peers are facades in process, clients across processes."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from shop.bootstrap import create_app, parse_services
from shop.platform.clients import ServiceClient
from shop.platform.services import PeerUnavailable, ServiceContext
from shop.platform.settings import DEMO_SERVICE_API_KEYS, ShopSettings

from .fake_service import SERVICE


def _context(settings: ShopSettings) -> ServiceContext:
    app = create_app(settings, services=[SERVICE])
    context: ServiceContext = app.state.shop.context
    return context


def test_local_facades_and_remote_clients() -> None:
    settings = ShopSettings(
        password_cost=4,
        services={"payments": ("http://127.0.0.1:9",), "widgets": ("http://127.0.0.1:9",)},
    )
    context = _context(settings)
    try:
        assert context.is_local("widgets")
        assert not context.is_local("payments")
        assert context.peer("widgets") is context.facades["widgets"]
        client = context.peer("payments")
        assert isinstance(client, ServiceClient)
        assert "widgets" not in context.clients  # served here: never called over HTTP
        with pytest.raises(PeerUnavailable, match="'inventory'"):
            context.peer("inventory")
        with pytest.raises(PeerUnavailable, match="configured: payments"):
            context.client("allocation")
    finally:
        for service_client in context.clients.values():
            service_client.close()


def test_service_calls_carry_the_callers_api_key() -> None:
    settings = ShopSettings(password_cost=4, services={"inventory": ("http://127.0.0.1:9",)})
    app = create_app(settings, services=["payments", SERVICE])
    client = app.state.shop.context.clients["inventory"]
    try:
        assert client.api_key == DEMO_SERVICE_API_KEYS["payments"]
    finally:
        client.close()


def test_service_lists_are_parsed_and_checked() -> None:
    assert parse_services("all") == ("inventory", "allocation", "payments", "orders")
    assert parse_services(" inventory , orders ") == ("inventory", "orders")
    with pytest.raises(ValueError, match="warehouse"):
        parse_services("inventory,warehouse")


def test_units_of_work_wake_the_relay_after_a_commit(client: TestClient) -> None:
    context: ServiceContext = client.app.state.shop.context  # type: ignore[attr-defined]
    uow = context.uow()
    assert uow.on_commit == context.relay.wake
