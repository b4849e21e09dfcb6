"""Rate-limit checks: what the burst and the wait after it must show."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from tests.checks.bench import Probe
from tests.checks.conftest import MakeBench
from tests.corpus.apps._security import facts

from assay.generation.security.limits import retry_after


def _quota(status: int, headers: dict[str, str] | None = None) -> FastAPI:
    app = FastAPI()

    @app.post("/login")
    def login() -> JSONResponse:
        return JSONResponse({"detail": "no"}, status_code=status, headers=headers)

    return app


def _burst(size: int) -> tuple[Probe, ...]:
    return tuple(
        Probe(
            "POST /login",
            phase="security",
            scenario=facts("limits", "burst", series="s", credential=True, final=i == size - 1),
        )
        for i in range(size)
    )


def test_a_burst_refused_as_malformed_is_not_judged(bench: MakeBench) -> None:
    assert bench(_quota(422)).fired("missing_rate_limit", *_burst(5)) == []
    (found,) = bench(_quota(401)).fired("missing_rate_limit", *_burst(5))
    assert found.evidence["cwe"] == "CWE-307"
    assert found.evidence["statuses"] == [401] * 5


def test_the_limit_after_the_announced_wait(bench: MakeBench) -> None:
    after = Probe(
        "POST /login",
        phase="security",
        scenario=facts("limits", "after_wait", retry_after=1.0, limited="curl …"),
    )
    limited = bench(_quota(429, {"Retry-After": "1"})).fired("rate_limit_never_lifts", after)
    assert [f.title for f in limited] == [
        "the rate limit does not lift after the announced Retry-After"
    ]
    assert bench(_quota(401)).fired("rate_limit_never_lifts", after) == []


def test_a_429_needs_a_usable_retry_after(bench: MakeBench) -> None:
    (probe,) = _burst(1)
    check = "rate_limit_without_retry_after"
    assert bench(_quota(429, {"Retry-After": "30"})).fired(check, probe) == []
    assert [
        f.signature for f in bench(_quota(429, {"Retry-After": "soon"})).fired(check, probe)
    ] == ["Retry-After"]


def test_retry_after_takes_seconds_and_http_dates() -> None:
    assert retry_after("12") == 12.0
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 25 <= (retry_after(later) or 0) <= 30
    assert retry_after("") is None
    assert retry_after("tomorrow") is None
