"""ServiceClient: retries only when safe, bounded jittered backoff, breaker, balancing."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import httpx2
import pytest
from fastapi import FastAPI

from shop.platform.breaker import CircuitBreaker
from shop.platform.clients import (
    CircuitOpenError,
    RetryPolicy,
    ServiceClient,
    ServiceUnavailableError,
)
from shop.platform.request_context import current_request_id

from .live_server import free_port, live_server


@dataclass
class FakeTime:
    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@dataclass
class Script:
    """A transport answering from a list of statuses (or exceptions), recording requests."""

    answers: list[int | Exception]
    requests: list[httpx2.Request] = field(default_factory=list)

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return httpx2.Response(answer, json={"ok": answer < 400})


def _state(breaker: CircuitBreaker) -> str:
    return breaker.state


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def make_client(fake_time: FakeTime) -> Iterator[Callable[..., ServiceClient]]:
    made: list[ServiceClient] = []

    def make(script: Script, *urls: str, threshold: int = 100) -> ServiceClient:
        client = ServiceClient(
            "payments",
            urls or ("http://payments.test",),
            api_key="svc-orders-key",
            retry=RetryPolicy(attempts=3, base_delay=0.1, max_delay=0.15),
            breaker=CircuitBreaker(threshold, cooldown=30.0, clock=fake_time.clock),
            clock=fake_time.clock,
            sleep=fake_time.sleep,
            rng=random.Random(7),
            transport=httpx2.MockTransport(script),
        )
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


def test_breaker_opens_half_opens_and_closes(fake_time: FakeTime) -> None:
    breaker = CircuitBreaker(failure_threshold=3, cooldown=10.0, clock=fake_time.clock)
    for _ in range(3):
        assert breaker.allow()
        breaker.record_failure()
    assert _state(breaker) == "open"
    assert not breaker.allow()
    fake_time.now += 9.9
    assert not breaker.allow()
    fake_time.now += 0.1
    assert _state(breaker) == "half-open"
    assert breaker.allow()  # the one trial call
    assert not breaker.allow()  # no second call while the trial runs
    breaker.record_failure()
    assert _state(breaker) == "open"
    fake_time.now += 10
    assert breaker.allow()
    breaker.record_success()
    assert _state(breaker) == "closed"
    assert breaker.allow()


def test_idempotent_get_is_retried_with_bounded_jittered_backoff(
    make_client: Callable[..., ServiceClient], fake_time: FakeTime
) -> None:
    script = Script([503, 502, 200])
    response = make_client(script).get("/v1/payments/p1")
    assert response.status_code == 200
    assert len(script.requests) == 3
    assert len(fake_time.sleeps) == 2
    assert 0 <= fake_time.sleeps[0] <= 0.1
    assert 0 <= fake_time.sleeps[1] <= 0.15  # capped by max_delay, not 0.2
    assert fake_time.sleeps[0] != fake_time.sleeps[1]  # jittered


def test_retries_are_bounded(make_client: Callable[..., ServiceClient]) -> None:
    script = Script([503])
    assert make_client(script).get("/v1/payments").status_code == 503
    assert len(script.requests) == 3


def test_post_without_idempotency_key_is_never_retried(
    make_client: Callable[..., ServiceClient], fake_time: FakeTime
) -> None:
    script = Script([503, 200])
    assert make_client(script).post("/v1/payments", json={}).status_code == 503
    assert len(script.requests) == 1
    timeouts = Script([httpx2.ReadTimeout("slow"), 200])
    with pytest.raises(ServiceUnavailableError):
        make_client(timeouts).post("/v1/payments", json={})
    assert len(timeouts.requests) == 1
    assert fake_time.sleeps == []


def test_post_with_idempotency_key_is_retried(make_client: Callable[..., ServiceClient]) -> None:
    script = Script([httpx2.ConnectError("refused"), 201])
    client = make_client(script, "http://a.test", "http://b.test")
    response = client.post("/v1/payments", json={}, headers={"Idempotency-Key": "k1"})
    assert response.status_code == 201
    assert [r.headers["Idempotency-Key"] for r in script.requests] == ["k1", "k1"]


def test_client_errors_are_answers_not_failures(make_client: Callable[..., ServiceClient]) -> None:
    script = Script([404])
    client = make_client(script, threshold=1)
    for _ in range(3):
        assert client.get("/v1/payments/x").status_code == 404
    assert _state(client.breaker) == "closed"
    assert len(script.requests) == 3


def test_open_circuit_fails_fast_then_probes_after_cooldown(
    make_client: Callable[..., ServiceClient], fake_time: FakeTime
) -> None:
    script = Script([500, 500, 200])
    client = make_client(script, threshold=2)
    client.get("/v1/payments")
    client.get("/v1/payments")
    assert _state(client.breaker) == "open"
    with pytest.raises(CircuitOpenError, match="circuit to payments is open"):
        client.get("/v1/payments")
    assert len(script.requests) == 2  # the open circuit sent nothing
    fake_time.now += 30
    assert client.get("/v1/payments").status_code == 200
    assert _state(client.breaker) == "closed"


def test_credentials_and_request_id_are_propagated(
    make_client: Callable[..., ServiceClient],
) -> None:
    script = Script([200])
    client = make_client(script)
    token = current_request_id.set("req-42")
    try:
        client.get("/v1/payments")
    finally:
        current_request_id.reset(token)
    sent = script.requests[0].headers
    assert sent["X-API-Key"] == "svc-orders-key"
    assert sent["X-Request-ID"] == "req-42"


def _named_app(name: str) -> FastAPI:
    app = FastAPI()

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/whoami")
    def whoami() -> dict[str, str]:
        return {"name": name}

    return app


def test_round_robin_skips_unhealthy_instances_until_they_recover(fake_time: FakeTime) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    with live_server(_named_app("a")) as a, live_server(_named_app("b")) as b:
        client = ServiceClient(
            "inventory",
            [a, dead, b],
            timeout=2.0,
            quarantine=5.0,
            clock=fake_time.clock,
            sleep=fake_time.sleep,
            rng=random.Random(1),
        )
        try:
            served = [client.get("/whoami").json()["name"] for _ in range(6)]
            assert served == ["a", "b", "a", "b", "a", "b"]  # the dead one was skipped
            assert client.refresh_health() == {a: True, dead: False, b: True}
            fake_time.now += 5.0
            assert client.get("/whoami").json()["name"] in {"a", "b"}  # dead retried, skipped
            assert client.healthy()
        finally:
            client.close()


def test_all_instances_down_is_a_clear_error(fake_time: FakeTime) -> None:
    client = ServiceClient(
        "allocation",
        [f"http://127.0.0.1:{free_port()}"],
        timeout=1.0,
        clock=fake_time.clock,
        sleep=fake_time.sleep,
    )
    try:
        with pytest.raises(ServiceUnavailableError, match="allocation"):
            client.get("/v1/batches")
        assert not client.healthy()
    finally:
        client.close()
