"""The app only includes the router: no lifespan needed, and apps stay independent."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.testclient import TestClient

from shop.identity import IdentitySettings, identity_runtime
from shop.identity.router import build_identity_router

from .identity_app import bearer, make_app, password_grant


def test_works_without_running_the_lifespan(settings: IdentitySettings) -> None:
    client = TestClient(make_app(settings), base_url="https://testserver")
    assert client.get("/v1/orders").status_code == 401  # runtime found and started lazily
    token = password_grant(client).json()["access_token"]
    assert client.get("/v1/orders", headers=bearer(token)).status_code == 200


def test_two_apps_do_not_share_keys_or_users(settings: IdentitySettings) -> None:
    first = TestClient(make_app(settings), base_url="https://testserver")
    other_settings = IdentitySettings(password_cost=4, clock=settings.clock)
    second = TestClient(make_app(other_settings), base_url="https://testserver")
    token = password_grant(first).json()["access_token"]
    assert first.get("/v1/orders", headers=bearer(token)).status_code == 200
    assert second.get("/v1/orders", headers=bearer(token)).status_code == 401


def test_the_runtime_is_reachable_from_the_router(settings: IdentitySettings) -> None:
    router = build_identity_router(settings)
    app = FastAPI()
    app.include_router(router)
    runtime = identity_runtime(router)
    with TestClient(app):
        assert app.state.shop_identity is runtime
        assert runtime.accounts.user_by_email("ada@example.com") is not None
