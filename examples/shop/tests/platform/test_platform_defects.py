"""The platform's own seeded defects: each one switched on shows its bug."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from shop.bootstrap import create_app
from shop.platform.settings import ShopSettings

from .fake_service import SERVICE


@pytest.fixture
def defective() -> Iterator[TestClient]:
    settings = ShopSettings(
        password_cost=4,
        defects=(
            "platform-missing-security-headers",
            "platform-cors-any-origin",
            "platform-500-leaks-internals",
        ),
    )
    app = create_app(settings, services=[SERVICE])
    with TestClient(app, base_url="https://testserver", raise_server_exceptions=False) as client:
        yield client


def test_missing_security_headers(defective: TestClient) -> None:
    headers = defective.get("/healthz").headers
    for name in ("x-content-type-options", "x-frame-options", "content-security-policy"):
        assert name not in headers
    assert "strict-transport-security" not in headers


def test_cors_reflects_any_origin_with_credentials(defective: TestClient) -> None:
    response = defective.get("/healthz", headers={"Origin": "https://evil.example"})
    assert response.headers["access-control-allow-origin"] == "https://evil.example"
    assert response.headers["access-control-allow-credentials"] == "true"


def test_500_leaks_the_exception_and_stack(defective: TestClient) -> None:
    response = defective.get("/v1/boom")
    assert response.status_code == 500
    assert "SELECT secret FROM /srv/shop/internal.py" in response.text
    assert "Traceback" in response.json()["traceback"]
