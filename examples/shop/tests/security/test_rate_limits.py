"""Login rate limits: bursts are refused with a usable 429, and never lock a user out."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assay import APITestClient, APITestResponse
from assay.config import build_identities, load_config
from assay.engine import RunSettings, run_engine
from shop.bootstrap import create_app
from shop.platform.settings import ShopSettings

CONFIG = Path(__file__).resolve().parents[2] / "assay.toml"
PASSWORD = "shop-demo-password"
LIMIT_CHECKS = ("missing_rate_limit", "rate_limit_without_retry_after", "rate_limit_never_lifts")


@pytest.fixture
def shop() -> Iterator[APITestClient]:
    """A shop of its own: the bursts here must not use up another test's login limit."""
    app = create_app(ShopSettings(password_cost=4, log_json=False))
    with APITestClient(app, validate=False) as client:
        yield client


def _token(client: APITestClient, username: str, password: str) -> APITestResponse:
    form = {"grant_type": "password", "username": username, "password": password}
    return client.post("/v1/token", data=form)


def test_guessing_one_password_is_stopped_with_retry_after(shop: APITestClient) -> None:
    statuses = [_token(shop, "ana@example.com", "guess").status_code for _ in range(6)]
    assert statuses == [400] * 5 + [429]
    limited = _token(shop, "ana@example.com", "guess")
    limited.expect.status(429).header("RateLimit-Limit", "5")
    assert 0 < int(limited.headers["retry-after"]) <= 60


def test_unknown_users_are_limited_the_same_way(shop: APITestClient) -> None:
    statuses = [_token(shop, "nobody@example.invalid", "x").status_code for _ in range(6)]
    assert statuses == [400] * 5 + [429]


def test_another_user_still_logs_in_during_a_burst(shop: APITestClient) -> None:
    for _ in range(6):
        _token(shop, "nobody@example.invalid", "x")
    _token(shop, "ben@example.com", PASSWORD).expect.status(200)


def test_the_console_login_is_limited_too(shop: APITestClient) -> None:
    form = {"email": "nobody@example.invalid", "password": "x"}
    statuses = [shop.post("/v1/console/login", data=form).status_code for _ in range(6)]
    assert statuses[-1] == 429


def test_assay_bursts_find_every_credential_endpoint_limited() -> None:
    app = create_app(ShopSettings(password_cost=4, log_json=False))
    identities = tuple(build_identities(load_config(CONFIG)))
    settings = RunSettings(
        seed=1,
        phases=("security",),
        checks=LIMIT_CHECKS,
        operations=("POST /v1/token", "POST /v1/console/login"),
        identities=identities,
    )
    result = run_engine(app, settings=settings)
    assert not result.internal_errors
    assert result.findings == []
    statuses = result.coverage["POST /v1/token"]["statuses"]
    assert statuses["429"] >= 1  # the burst met the limit and stopped
    with APITestClient(app, identities=identities, validate=False) as after:
        after.get("/v1/orders", identity="ana").expect.status(200)
