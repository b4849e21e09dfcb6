"""CORS: only the configured origins may call the shop from a browser, with credentials."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assay import APITestClient
from assay.config import SecurityConfig
from assay.engine import RunSettings, run_engine
from shop.bootstrap import create_app
from shop.platform.settings import ShopSettings

FRONTEND = "https://app.shop.example"
INTRUDER = "https://evil.example"
CORS_CHECKS = (
    "cors_origin_reflected",
    "cors_null_origin",
    "cors_wildcard_with_credentials",
    "cors_preflight_too_permissive",
)


def _shop(*defects: str) -> object:
    return create_app(
        ShopSettings(cors_origins=(FRONTEND,), defects=defects, password_cost=4, log_json=False)
    )


@pytest.fixture(scope="module")
def web() -> Iterator[APITestClient]:
    with APITestClient(_shop(), validate=False) as client:
        yield client


def test_the_frontend_may_read_answers_with_credentials(web: APITestClient) -> None:
    response = web.get("/healthz", headers={"Origin": FRONTEND})
    response.expect.status(200).header("Access-Control-Allow-Origin", FRONTEND)
    response.expect.header("Access-Control-Allow-Credentials", "true")


@pytest.mark.parametrize("origin", [INTRUDER, "null", FRONTEND + ".evil.example"])
def test_other_origins_get_no_cors_grant(web: APITestClient, origin: str) -> None:
    web.get("/healthz", headers={"Origin": origin}).expect.no_header("Access-Control-Allow-Origin")


def test_a_preflight_for_an_unknown_header_is_refused(web: APITestClient) -> None:
    preflight = {
        "Origin": FRONTEND,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "x-unknown",
    }
    web.options("/v1/orders", headers=preflight).expect.status(400)


def test_a_preflight_for_the_frontend_lists_what_the_api_takes(web: APITestClient) -> None:
    preflight = {
        "Origin": FRONTEND,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, idempotency-key",
    }
    response = web.options("/v1/orders", headers=preflight)
    response.expect.status(200).header("Access-Control-Allow-Origin", FRONTEND)


def _cors_findings(*defects: str) -> set[tuple[str, str | None]]:
    settings = RunSettings(
        seed=1,
        phases=("security",),
        checks=CORS_CHECKS,
        security=SecurityConfig(cors_origins=[FRONTEND]),
        operations=("GET /v1/products",),
    )
    result = run_engine(_shop(*defects), settings=settings)
    assert not result.internal_errors
    return {(f.check, f.operation) for f in result.findings}


def test_assay_finds_nothing_with_the_configured_allow_list() -> None:
    assert _cors_findings() == set()


def test_assay_finds_an_origin_reflected_with_credentials() -> None:
    found = _cors_findings("platform-cors-any-origin")
    assert {check for check, _ in found} == {"cors_origin_reflected", "cors_null_origin"}
