"""--concurrency on a live URL: the same cases and findings as a serial run, in parallel."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn

from assay.engine import RunSettings, run_engine

from .conftest import CHECK, make_app


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def live_url() -> Iterator[str]:
    port = _free_port()
    config = uvicorn.Config(make_app(), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            pytest.fail("uvicorn did not start within 10 s")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


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
