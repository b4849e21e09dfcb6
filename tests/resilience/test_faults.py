"""Fault values: scopes, labels, validation; and the call log's queries."""

from __future__ import annotations

import pytest

from assay.errors import AssayError
from assay.resilience import Call, CallLog, FailFirst, Hang, Latency, PassThrough, Reset, Status


@pytest.mark.parametrize(
    ("fault", "label"),
    [
        (PassThrough(), "pass-through"),
        (Latency(0.2, jitter=0.1), "latency 0.2+0.1s"),
        (Hang(), "hang"),
        (Hang(hold=3), "hang 3s"),
        (Reset().on("post", "/charges"), "reset on POST /charges"),
        (Status(503).on(path="/internal/*"), "status 503 on * /internal/*"),
        (FailFirst(2, Status(500)), "first 2: status 500"),
    ],
)
def test_each_fault_has_a_label(fault: object, label: str) -> None:
    assert getattr(fault, "label") == label  # noqa: B009 - the parameter is any fault


def test_a_scope_matches_method_and_path_without_the_query() -> None:
    fault = Status(503).on("POST", "/payments/*/refunds")
    assert fault.applies("post", "/payments/p1/refunds?x=1")
    assert not fault.applies("GET", "/payments/p1/refunds")
    assert not fault.applies("POST", "/payments/p1")
    assert Status(503).applies("DELETE", "/anything")


def test_fail_first_applies_where_its_fault_does() -> None:
    fault = FailFirst(1, Reset().on("POST"))
    assert fault.applies("POST", "/x")
    assert not fault.applies("GET", "/x")


def test_status_headers_carry_retry_after_and_a_body_type() -> None:
    fault = Status(503, retry_after=1.5, body=b'{"detail": "down"}', headers=(("X-A", "1"),))
    assert fault.response_headers() == [
        ("X-A", "1"),
        ("Retry-After", "1.5"),
        ("Content-Type", "application/json"),
    ]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Latency(-1), "delay and a jitter of 0 or more"),
        (lambda: Hang(hold=0), "positive hold"),
        (lambda: Status(99), "200-599"),
        (lambda: FailFirst(0), "count of 1 or more"),
        (lambda: FailFirst(1, PassThrough()), "wraps a failing fault"),
    ],
)
def test_bad_faults_are_clear_errors(make: object, message: str) -> None:
    with pytest.raises(AssayError, match=message):
        make()  # type: ignore[operator]


def _call(at: float, trace: str | None, path: str = "/charges") -> Call:
    headers = {"x-request-id": trace} if trace else {}
    return Call(0, at, "POST", path, headers, "d", 0, "pass-through")


def test_calls_caused_by_a_request_follow_its_id_or_else_the_time() -> None:
    log = CallLog()
    for call in (_call(1.0, None), _call(2.0, "a"), _call(3.0, "b"), _call(4.0, None)):
        log.add(call)
    assert [c.at for c in log.caused_by("a", since=1.5)] == [2.0, 4.0]
    assert [c.at for c in log.caused_by("a", since=0.0)] == [1.0, 2.0, 4.0]
    assert [c.index for c in log.all()] == [0, 1, 2, 3]


def test_the_log_answers_simple_questions() -> None:
    log = CallLog()
    log.add(_call(1.0, None, "/charges"))
    log.add(_call(2.0, None, "/refunds"))
    assert [c.path for c in log.matching("post", "/ref")] == ["/refunds"]
    assert [c.path for c in log.since(1.5)] == ["/refunds"]
    assert len(log) == 2
    log.clear()
    assert log.all() == []
