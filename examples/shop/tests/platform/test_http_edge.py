"""Request ids, security headers, CORS, metrics and JSON access logs."""

from __future__ import annotations

import json
import logging

import pytest
from starlette.testclient import TestClient

from shop.bootstrap import create_app
from shop.platform.http import JsonLogFormatter
from shop.platform.settings import ShopSettings

from .fake_service import SERVICE


def test_request_id_is_echoed_or_generated(client: TestClient) -> None:
    echoed = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert echoed.headers["x-request-id"] == "abc-123"
    generated = client.get("/healthz")
    assert len(generated.headers["x-request-id"]) == 32
    hostile = client.get("/healthz", headers={"X-Request-ID": "x" * 300})
    assert hostile.headers["x-request-id"] != "x" * 300
    assert len(hostile.headers["x-request-id"]) == 32


def test_security_headers_on_success_and_error(client: TestClient) -> None:
    for response in (client.get("/healthz"), client.get("/v1/widgets/9")):
        headers = response.headers
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["content-security-policy"].startswith("default-src 'none'")
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["strict-transport-security"].startswith("max-age=")
        assert headers["cache-control"] == "no-store"


def test_cors_allows_the_configured_origin_only(client: TestClient) -> None:
    preflight = {"Access-Control-Request-Method": "POST"}
    allowed = client.options(
        "/v1/widgets", headers={"Origin": "https://console.shop.example", **preflight}
    )
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://console.shop.example"
    refused = client.options("/v1/widgets", headers={"Origin": "https://evil.example", **preflight})
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers
    simple = client.get("/healthz", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in simple.headers


def test_metrics_count_requests_by_route_template(client: TestClient) -> None:
    client.get("/v1/widgets/1")
    client.get("/v1/widgets/2")
    text = client.get("/metrics").text
    line = 'shop_http_requests_total{method="GET",route="/v1/widgets/{widget_id}",status="404"}'
    assert f"{line} 2.0" in text
    assert "/v1/widgets/1" not in text
    assert "shop_http_request_duration_seconds_bucket" in text


def test_each_app_has_its_own_metrics_registry(settings: ShopSettings, client: TestClient) -> None:
    client.get("/healthz")
    other = create_app(settings, services=[SERVICE])
    with TestClient(other) as fresh:
        assert 'route="/healthz"' not in fresh.get("/metrics").text


def test_access_log_is_one_json_object_per_line(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="shop.access"):
        client.get("/v1/widgets/5", headers={"X-Request-ID": "log-me"})
    record = next(r for r in caplog.records if r.name == "shop.access")
    line = JsonLogFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["route"] == "/v1/widgets/{widget_id}"
    assert entry["status"] == 404
    assert entry["request_id"] == "log-me"
    assert entry["duration_ms"] >= 0
