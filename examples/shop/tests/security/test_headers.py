"""Security headers on the shop's answers, by hand and with assay's header probe."""

from __future__ import annotations

import pytest

from assay import APITestClient
from assay.engine import RunSettings, run_engine
from shop.bootstrap import create_app
from shop.platform.settings import ShopSettings

HEADER_CHECKS = (
    "missing_content_type_options",
    "missing_frame_protection",
    "missing_content_security_policy",
    "cacheable_authenticated_response",
    "missing_hsts",
    "server_version_disclosure",
)

REPRESENTATIVES = ("GET /v1/products", "GET /v1/orders", "GET /v1/payments", "GET /healthz")
"""One operation per family (assay's header probe judges one per family anyway)."""


@pytest.mark.parametrize("path", ["/v1/products", "/v1/orders", "/healthz"])
def test_api_answers_are_hardened(api: APITestClient, path: str) -> None:
    response = api.get(path, identity="staff")
    response.expect.status(200).header("X-Content-Type-Options", "nosniff").header(
        "X-Frame-Options", "DENY"
    )
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert "max-age=" in response.headers["strict-transport-security"]


def test_authenticated_answers_are_never_stored(api: APITestClient) -> None:
    api.get("/v1/orders", identity="ana").expect.status(200).header("Cache-Control", "no-store")


def test_errors_carry_the_headers_too(api: APITestClient) -> None:
    response = api.get("/v1/products/NO-SUCH-SKU", identity="staff")
    response.expect.status(404).header("X-Content-Type-Options", "nosniff")


def test_no_server_version_is_disclosed(api: APITestClient) -> None:
    response = api.get("/healthz")
    assert "server" not in response.headers
    assert "x-powered-by" not in response.headers


def _header_findings(defects: tuple[str, ...]) -> set[tuple[str, str | None]]:
    app = create_app(ShopSettings(defects=defects, password_cost=4, log_json=False))
    settings = RunSettings(
        seed=1, phases=("security",), checks=HEADER_CHECKS, operations=REPRESENTATIVES
    )
    result = run_engine(app, settings=settings)
    assert not result.internal_errors
    return {(f.check, f.operation) for f in result.findings}


def test_assay_finds_no_header_gap_in_the_shop() -> None:
    assert _header_findings(()) == set()


def test_assay_finds_the_seeded_header_gap() -> None:
    found = _header_findings(("platform-missing-security-headers",))
    assert ("missing_content_type_options", "GET /v1/products") in found
