"""The same client against a real uvicorn server on 127.0.0.1."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from tests.client.notes_app import make_app

from assay.client import APITestClient


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


def test_requests_over_the_network(live_url: str) -> None:
    with APITestClient(base_url=live_url, spec=None) as api:
        api.post("/notes", json={"title": "live"}).expect.status(201).json_path("$.id", int)
        response = api.get("/notes/1")
        response.expect.status(200).json_path("$.title", "first")
        assert response.elapsed_ms > 0
        assert response.curl.startswith(f"curl -X GET {live_url}/notes/1")


def test_cookies_and_operation_calls_over_the_network(live_url: str) -> None:
    with APITestClient(base_url=live_url, spec=f"{live_url}/openapi.json") as api:
        api.post("/login")
        api.call("echoHeaders", headers={"x-trace": "t-1"}).expect.json_path(
            "$.session", "s-123"
        ).json_path("$.x_trace", "t-1")
