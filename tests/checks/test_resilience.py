"""The resilience checks on hand-made calls: where each fires and where it stays silent."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from fastapi import FastAPI
from tests.checks.bench import Bench, Probe
from tests.checks.conftest import MakeBench

from assay.checks.registry import Exchange
from assay.checks.resilience import CALLS, SCENARIO
from assay.errors import Finding
from assay.resilience import Call

START = 100.0


def _app() -> FastAPI:
    app = FastAPI(title="caller", version="1")

    @app.post("/orders", status_code=202)
    def place() -> dict[str, str]:
        return {"status": "pending"}

    return app


class _Source:
    def __init__(self, calls: Sequence[Call]) -> None:
        self.calls = list(calls)

    def caused_by(self, dependency: str, request_id: str, since: float) -> list[Call]:
        assert (dependency, request_id, since) == ("payments", "r-1", START)
        return self.calls


def _call(at: float, key: str | None = "k1", method: str = "POST", body: str = "b1") -> Call:
    headers = {"idempotency-key": key} if key else {}
    return Call(0, START + at, method, "/charges", headers, body, 10, "status 503", 503, "injected")


@pytest.fixture
def caller(bench: MakeBench) -> Bench:
    return bench(_app())


def _judge(
    bench: Bench,
    check: str,
    calls: Sequence[Call],
    *,
    fault: str = "unavailable",
    elapsed_s: float = 0.1,
    scenario: str = SCENARIO,
) -> list[Finding]:
    facts = {
        "name": scenario,
        "dependency": "payments",
        "fault": fault,
        "request_id": "r-1",
        "sent_at": START,
        "budget": 2.0,
        "hold": 4.0,
        "max_calls": 4,
        "min_backoff": 0.05,
    }
    exchange: Exchange = bench.send(Probe("POST /orders", phase="resilience", scenario=facts))
    exchange.elapsed_ms = elapsed_s * 1000
    bench.context.memory[CALLS] = _Source(calls)
    return bench.run(exchange, [check])


SPACED = [_call(0.0), _call(0.1), _call(0.3)]


def test_a_slow_answer_with_the_dependency_hung_is_a_missing_timeout(caller: Bench) -> None:
    [finding] = _judge(
        caller, "downstream_timeout_missing", [_call(0.0)], fault="hang", elapsed_s=4.0
    )
    assert (
        finding.title == "no timeout on calls to payments: the answer took 4.0 s with payments hung"
    )
    assert finding.evidence["calls"] == [
        "+0.000s POST /charges key=k1 → 503 (injected, status 503)"
    ]


@pytest.mark.parametrize(
    ("fault", "elapsed_s", "calls"),
    [
        ("hang", 1.5, [_call(0.0)]),  # within the budget
        ("hang", 4.0, []),  # the dependency was never called (a breaker already open)
        ("unavailable", 4.0, [_call(0.0)]),  # slow, but the dependency did not hang
    ],
)
def test_the_timeout_check_stays_silent(
    caller: Bench, fault: str, elapsed_s: float, calls: list[Call]
) -> None:
    assert (
        _judge(caller, "downstream_timeout_missing", calls, fault=fault, elapsed_s=elapsed_s) == []
    )


def test_more_calls_than_the_bound_are_a_retry_storm(caller: Bench) -> None:
    calls = [_call(0.2 * n) for n in range(5)]
    [finding] = _judge(caller, "retry_storm", calls)
    assert finding.title == "retry storm on payments: POST sent 5 times"
    assert "5 calls, more than 4" in str(finding.detail)


def test_three_immediate_retries_are_a_retry_storm(caller: Bench) -> None:
    calls = [_call(0.01 * n) for n in range(4)]
    [finding] = _judge(caller, "retry_storm", calls)
    assert "3 retries within 50 ms of each other" in str(finding.detail)


@pytest.mark.parametrize(
    "calls",
    [
        SPACED,
        [_call(0.0), _call(0.001), _call(0.002)],  # two quick retries: within the bound
        [_call(0.001 * n, body=f"line {n}") for n in range(6)],  # six different requests
    ],
    ids=["backoff", "two-quick-retries", "different-requests"],
)
def test_the_retry_storm_check_stays_silent(caller: Bench, calls: list[Call]) -> None:
    assert _judge(caller, "retry_storm", calls) == []


def test_a_retry_with_another_key_is_found(caller: Bench) -> None:
    calls = [_call(0.0, "k1"), _call(0.1, "k1"), _call(0.2, "k2")]
    [finding] = _judge(caller, "retry_key_changed", calls)
    assert "1 of its 2 retries carried another key ('k2')" in str(finding.detail)


@pytest.mark.parametrize(
    "calls",
    [
        SPACED,  # the same key every time
        [_call(0.0, None), _call(0.1, "k2")],  # the first attempt had no key
        [_call(0.0, "k1", "GET"), _call(0.1, "k2", "GET")],  # a GET may be repeated anyway
        [_call(0.0, "k1", body="a"), _call(0.1, "k2", body="b")],  # two different requests
    ],
    ids=["same-key", "no-first-key", "get", "different-requests"],
)
def test_the_key_check_stays_silent(caller: Bench, calls: list[Call]) -> None:
    assert _judge(caller, "retry_key_changed", calls) == []


@pytest.mark.parametrize(
    "check", ["downstream_timeout_missing", "retry_storm", "retry_key_changed"]
)
def test_requests_of_other_phases_are_not_judged(caller: Bench, check: str) -> None:
    calls = [_call(0.001 * n, f"k{n}") for n in range(6)]
    assert _judge(caller, check, calls, fault="hang", elapsed_s=9.0, scenario="stateful") == []
