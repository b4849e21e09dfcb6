"""Fixtures: the inventory app on in-memory SQLite, a fake clock, tokens and an API key."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from shop.identity.keys import SigningKey

from ..factories import ShopFactories  # noqa: TID252 - the tests are no installed package
from .inventory_app import (
    ORDERS_KEY,
    PASSWORD,
    FakeClock,
    InventoryApp,
    bearer,
    identity_settings,
    make_app,
)


@pytest.fixture(scope="session")
def signing_pem() -> str:
    return SigningKey.generate().private_pem()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def build(signing_pem: str, clock: FakeClock) -> Callable[..., InventoryApp]:
    def factory(*defects: str) -> InventoryApp:
        return make_app(identity_settings(signing_pem), clock, defects)

    return factory


@pytest.fixture
def inventory(build: Callable[..., InventoryApp]) -> InventoryApp:
    return build()


class Api:
    """A TestClient with the staff token, the customer token and the service key at hand.

    `shop` is the shop's factories, creating through this client as staff.
    """

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.shop = ShopFactories(seed=7, post=self.post)
        self.staff = bearer(self._token("grace@example.com"))
        self.customer = bearer(self._token("ada@example.com"))
        self.service = {"X-API-Key": ORDERS_KEY}

    def _token(self, email: str) -> str:
        form = {"grant_type": "password", "username": email, "password": PASSWORD}
        response = self.client.post("/v1/token", data=form)
        assert response.status_code == 200, response.text
        token: str = response.json()["access_token"]
        return token

    def create(self, sku: str, price: int = 1299, name: str | None = None, **extra: Any) -> Any:
        """A v1 product from the factory: the response, for its headers."""
        fields = {"name": name or f"Product {sku}", "currency": "EUR"} | extra
        body = self.shop.product_v1.data(sku=sku, price=price, **fields)
        response = self.client.post("/v1/products", json=body, headers=self.staff)
        assert response.status_code == 201, response.text
        return response

    def post(self, url: str, body: dict[str, Any]) -> Any:
        """Create as staff (the factories' way in): the created resource's JSON."""
        response = self.client.post(url, json=body, headers=self.staff)
        assert response.status_code == 201, response.text
        return response.json()

    def stock(self, sku: str, warehouse: str, on_hand: int) -> None:
        url = f"/v1/products/{sku}/stock/{warehouse}"
        response = self.client.put(url, json={"on_hand": on_hand}, headers=self.staff)
        assert response.status_code == 204, response.text


def _api(app: InventoryApp) -> Iterator[Api]:
    with TestClient(app.app, base_url="https://testserver") as client:
        yield Api(client)


@pytest.fixture
def api(inventory: InventoryApp) -> Iterator[Api]:
    yield from _api(inventory)


@pytest.fixture
def api_with(build: Callable[..., InventoryApp]) -> Callable[..., Any]:
    """``api_with("defect-name")``: an ``Api`` on an app with those defects switched on."""
    clients: list[TestClient] = []

    def factory(*defects: str) -> Api:
        app = build(*defects).app
        client = TestClient(app, base_url="https://testserver", raise_server_exceptions=False)
        clients.append(client.__enter__())
        return Api(client)

    yield factory
    for client in clients:
        client.__exit__(None, None, None)
