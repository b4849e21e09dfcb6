"""Fixtures: settings with a fake clock and seed accounts, the app, a client, tokens."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

from shop.identity import (
    IdentityRuntime,
    IdentitySettings,
    RateLimitPolicy,
    SeedApiKey,
    SeedClient,
    SeedUser,
)
from shop.identity.keys import SigningKey

from .identity_app import CLIENT_SECRET, PASSWORD, SERVICE_KEY, FakeClock, make_app, password_grant


@pytest.fixture(scope="session")
def signing_key() -> SigningKey:
    return SigningKey.generate()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(float(int(time.time())))


@pytest.fixture
def settings(clock: FakeClock, signing_key: SigningKey) -> IdentitySettings:
    return IdentitySettings(
        signing_keys=(signing_key.private_pem(),),
        password_cost=4,
        clock=clock,
        seed_users=(
            SeedUser("ada@example.com", PASSWORD, ("customer",)),
            SeedUser("grace@example.com", PASSWORD, ("staff",)),
            SeedUser("root@example.com", PASSWORD, ("admin",)),
            SeedUser("gone@example.com", PASSWORD, ("staff",), disabled=True),
        ),
        seed_clients=(SeedClient("reporting", CLIENT_SECRET, ("orders:read", "inventory:read")),),
        seed_api_keys=(SeedApiKey("allocation", SERVICE_KEY, ("inventory:read",)),),
        login_limit_per_identity=RateLimitPolicy(limit=3, window_seconds=60),
        login_limit_per_client=RateLimitPolicy(limit=10, window_seconds=60),
    )


@pytest.fixture
def app(settings: IdentitySettings) -> FastAPI:
    return make_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="https://testserver") as test_client:
        yield test_client


@pytest.fixture
def runtime(app: FastAPI, client: TestClient) -> IdentityRuntime:
    runtime = app.state.shop_identity
    assert isinstance(runtime, IdentityRuntime)
    return runtime


@pytest.fixture
def tokens(client: TestClient) -> dict[str, Any]:
    response = password_grant(client)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
