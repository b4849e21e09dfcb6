"""The same client against a real uvicorn server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.client.notes_app import make_app
from tests.serving import serve

from assay.client import APITestClient


@pytest.fixture(scope="module")
def live_url() -> Iterator[str]:
    with serve(make_app()) as url:
        yield url


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
