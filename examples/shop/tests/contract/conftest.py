"""Fixtures of the shop's contract tests: where pacts go, a provider service in-process,
and a `ServiceClient` the orders' HTTP adapters use against assay's mock provider."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
from fastapi import FastAPI

from assay.client import APITestClient
from assay.spec import Spec, load
from shop.bootstrap import create_app
from shop.orders.adapters.over_http import HttpPeer
from shop.orders.service_layer.environment import NoDefects
from shop.platform.clients import RetryPolicy, ServiceClient
from shop.platform.settings import ShopSettings

CONSUMER_KEY = "svc_orders_key_of_the_consumer_tests"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "shop_defects(*names): seeded defects of the `provider` fixture's service"
    )


@pytest.fixture
def pact_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Pacts of this run (a pipeline would publish them from here)."""
    return tmp_path_factory.getbasetemp() / "pacts"


@contextmanager
def _peer(service: str, url: str) -> Iterator[HttpPeer]:
    client = ServiceClient(service, [url], api_key=CONSUMER_KEY, retry=RetryPolicy(attempts=1))
    try:
        yield HttpPeer(lambda: client, NoDefects())
    finally:
        client.close()


@pytest.fixture
def peer() -> Callable[[str, str], AbstractContextManager[HttpPeer]]:
    """``with peer("payments", url) as p: HttpPayments(p)`` — orders' real HTTP port."""
    return _peer


@pytest.fixture
def provider(request: pytest.FixtureRequest) -> Iterator[APITestClient]:
    """The service named by ``@pytest.mark.parametrize("provider", [...], indirect=True)``
    or the test module's ``PROVIDER``, in-process with its own database; the test's
    ``@pytest.mark.shop_defects("name", ...)`` switches seeded defects on."""
    service = getattr(request, "param", None) or request.module.PROVIDER
    marker = request.node.get_closest_marker("shop_defects")
    defects = tuple(marker.args) if marker else ()
    settings = ShopSettings(password_cost=4, log_json=False, defects=defects)
    app = create_app(settings, service)
    with APITestClient(app, spec=None, raise_app_exceptions=False) as api:
        yield api


@pytest.fixture
def orders_key() -> dict[str, str]:
    """The credentials the providers' test set-up accepts from orders."""
    return {"X-API-Key": ShopSettings().service_api_keys["orders"]}


@pytest.fixture
def staff(provider: APITestClient) -> Callable[[], dict[str, str]]:
    """The staff's bearer header on the provider (logs in once, on first use)."""
    header: dict[str, str] = {}

    def logged_in() -> dict[str, str]:
        if not header:
            form = {"grant_type": "password", "username": "staff@example.com"}
            form["password"] = ShopSettings().demo_password
            answer = provider.post("/v1/token", data=form, validate=False)
            assert answer.status_code == 200, answer.text
            header["Authorization"] = f"Bearer {answer.json()['access_token']}"
        return header

    return logged_in


@pytest.fixture(scope="session")
def shop_app() -> FastAPI:
    """The whole shop in one app (not started: for its routes and its document)."""
    return create_app(ShopSettings(password_cost=4, log_json=False))


@pytest.fixture(scope="session")
def shop_spec(shop_app: FastAPI) -> Spec:
    return load(shop_app)
