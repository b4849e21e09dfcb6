"""--concurrency on a live URL: the same cases and findings as a serial run, in parallel."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.serving import serve

from assay.engine import RunSettings, run_engine

from .conftest import CHECK, make_app


@pytest.fixture(scope="module")
def live_url() -> Iterator[str]:
    with serve(make_app()) as url:
        yield url


def test_parallel_run_matches_the_serial_one(live_url: str) -> None:
    base = {"phases": ("examples", "boundary", "semantics"), "checks": (CHECK,), "seed": 11}
    serial = run_engine(live_url, settings=RunSettings(**base))  # type: ignore[arg-type]
    parallel = run_engine(live_url, settings=RunSettings(concurrency=4, **base))  # type: ignore[arg-type]
    assert parallel.cases == serial.cases > 0
    assert (
        {(f.check, f.operation) for f in parallel.findings}
        == {(f.check, f.operation) for f in serial.findings}
        == {(CHECK, "GET /items/{item_id}")}
    )
