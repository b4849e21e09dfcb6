"""Fixtures: the allocation app on in-memory SQLite, tokens and a service key."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from shop.identity.keys import SigningKey

from ..factories import ShopFactories  # noqa: TID252 - the tests are no installed package
from .allocation_app import ORDERS_KEY, PASSWORD, AllocationApp, identity_settings, make_app


@pytest.fixture(scope="session")
def signing_pem() -> str:
    return SigningKey.generate().private_pem()


@pytest.fixture
def build(signing_pem: str) -> Callable[..., AllocationApp]:
    def factory(*defects: str, url: str = "sqlite://") -> AllocationApp:
        return make_app(identity_settings(signing_pem), defects, url)

    return factory


@pytest.fixture
def allocation(build: Callable[..., AllocationApp]) -> AllocationApp:
    return build()


class Api:
    """A TestClient with staff and customer tokens, the service key and the shop's factories."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.shop = ShopFactories(seed=11)
        self.staff = self._bearer("grace@example.com")
        self.customer = self._bearer("ada@example.com")
        self.service = {"X-API-Key": ORDERS_KEY}

    def _bearer(self, email: str) -> dict[str, str]:
        form = {"grant_type": "password", "username": email, "password": PASSWORD}
        response = self.client.post("/v1/token", data=form)
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    def batch(self, reference: str, sku: str, quantity: int, eta: str | None = None) -> Any:
        body = self.shop.batch.data(reference=reference, sku=sku, quantity=quantity, eta=eta)
        response = self.client.post("/v1/batches", json=body, headers=self.staff)
        assert response.status_code == 201, response.text
        return response

    def allocate(self, order_id: str, sku: str, quantity: int) -> Any:
        # the quantity as given, valid or not: tests send 0 to see the 422
        body = self.shop.allocation.data(order_id=order_id, sku=sku) | {"quantity": quantity}
        return self.client.post("/v1/allocations", json=body, headers=self.service)


@pytest.fixture
def api(allocation: AllocationApp) -> Iterator[Api]:
    with TestClient(allocation.app, base_url="https://testserver") as client:
        yield Api(client)
