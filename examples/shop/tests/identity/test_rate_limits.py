"""Login throttling per identity and per client, with RateLimit-* and Retry-After."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from assay import RedisNamespace
from shop.identity import RateLimitPolicy
from shop.identity.rate_limits import MemoryRateLimiter, RedisRateLimiter

from .identity_app import PASSWORD, FakeClock, password_grant


def test_successful_logins_carry_rate_limit_headers(client: TestClient) -> None:
    response = password_grant(client)
    assert response.status_code == 200
    # the policy closest to exhaustion is reported: 3 failures per identity
    assert response.headers["ratelimit-limit"] == "3"
    assert response.headers["ratelimit-remaining"] == "3"
    assert response.headers["ratelimit-reset"] == "0"
    assert "retry-after" not in response.headers
    for n in range(8):
        password_grant(client, f"user{n}@example.com", PASSWORD)
    response = password_grant(client)
    assert response.headers["ratelimit-limit"] == "10"
    assert response.headers["ratelimit-remaining"] == "0"
    assert response.headers["ratelimit-reset"] == "60"


def test_failures_per_identity_are_limited_then_the_window_slides(
    client: TestClient, clock: FakeClock
) -> None:
    for remaining in ("2", "1", "0"):
        failed = password_grant(client, password="wrong")
        assert failed.status_code == 400
        assert failed.headers["ratelimit-remaining"] == remaining
    refused = password_grant(client)  # even the right password, for now
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.headers["retry-after"] == "60"
    assert refused.headers["ratelimit-remaining"] == "0"
    assert password_grant(client, "grace@example.com").status_code == 200
    clock.advance(60)
    assert password_grant(client).status_code == 200


def test_successes_do_not_use_up_the_identity_budget(client: TestClient) -> None:
    for _ in range(5):
        assert password_grant(client).status_code == 200


def test_every_request_of_a_client_counts(client: TestClient, clock: FakeClock) -> None:
    for n in range(10):
        assert password_grant(client, f"user{n}@example.com").status_code == 400
    refused = password_grant(client)
    assert refused.status_code == 429
    assert refused.headers["ratelimit-limit"] == "10"
    clock.advance(30)
    assert password_grant(client).status_code == 429
    clock.advance(30)
    assert password_grant(client).status_code == 200


def test_client_credentials_failures_are_limited_per_client_id(client: TestClient) -> None:
    data = {"grant_type": "client_credentials", "client_id": "reporting", "client_secret": "x"}
    for _ in range(3):
        assert client.post("/v1/token", data=data).status_code == 401
    assert client.post("/v1/token", data=data).status_code == 429


def test_console_login_is_limited_too(client: TestClient) -> None:
    wrong = {"email": "grace@example.com", "password": "wrong"}
    for _ in range(3):
        response = client.post("/v1/console/login", json=wrong)
        assert response.status_code == 401
        assert "ratelimit-remaining" in response.headers
    right = {"email": "grace@example.com", "password": PASSWORD}
    assert client.post("/v1/console/login", json=right).status_code == 429


def test_memory_window_is_sliding() -> None:
    clock = FakeClock(1000.0)
    limiter = MemoryRateLimiter(clock)
    policy = RateLimitPolicy(limit=2, window_seconds=10)
    assert limiter.check("k", policy, record=True).remaining == 1
    clock.advance(5)
    assert limiter.check("k", policy, record=True).remaining == 0
    clock.advance(4)
    refused = limiter.check("k", policy, record=True)
    assert not refused.allowed
    assert refused.reset == 1
    clock.advance(1)  # the first hit left the window
    assert limiter.check("k", policy, record=True).allowed
    assert limiter.check("other", policy, record=False).remaining == 2


@pytest.mark.redis
def test_redis_window_is_sliding_and_shared(redis_isolated: RedisNamespace) -> None:
    clock = FakeClock(1000.0)
    first = RedisRateLimiter(redis_isolated.url, clock, prefix=redis_isolated.key(""))
    policy = RateLimitPolicy(limit=2, window_seconds=10)
    assert first.check("k", policy, record=True).remaining == 1
    assert first.check("k", policy, record=False).remaining == 1
    clock.advance(5)
    first.record("k", policy)
    refused = first.check("k", policy, record=True)
    assert not refused.allowed
    assert refused.reset == 5
    clock.advance(5)
    assert first.check("k", policy, record=True).allowed
