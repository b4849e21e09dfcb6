"""ContractMiddleware: switched on in a provider's own tests, record or raise."""

from __future__ import annotations

import pytest
from starlette.middleware.cors import CORSMiddleware
from starlette.testclient import TestClient
from tests.contract.apps import make_app

from assay.contract.middleware import ContractLog, ContractMiddleware
from assay.errors import AssayError, Finding


def _client(*, buggy: bool, mode: str = "record") -> tuple[TestClient, ContractLog]:
    app = make_app(buggy=buggy)
    log = ContractLog()
    spec = make_app().openapi()
    app.add_middleware(ContractMiddleware, spec=spec, mode=mode, log=log)
    return TestClient(app), log


def test_a_correct_app_records_nothing() -> None:
    client, log = _client(buggy=False)
    assert client.get("/orders/1").status_code == 200
    assert client.post("/orders", json={"sku": "A", "quantity": 1}).status_code == 201
    assert client.get("/orders/99").status_code == 404
    assert client.post("/orders", json={"sku": ""}).status_code == 422
    assert client.get("/not-a-route").status_code == 404
    log.assert_clean()
    assert log.checked == 5


def test_a_wrong_response_is_recorded_with_pointers() -> None:
    client, log = _client(buggy=True)
    assert client.get("/orders/1").status_code == 200
    [finding] = log.findings
    assert finding.evidence["data_pointer"] == "/price"
    with pytest.raises(Finding, match="1 contract violations in 1 exchanges"):
        log.assert_clean()


def test_an_invalid_request_the_app_accepts_is_recorded() -> None:
    app = make_app()
    spec = make_app().openapi()
    spec["components"]["schemas"]["OrderIn"]["properties"]["sku"]["maxLength"] = 3
    log = ContractLog()
    app.add_middleware(ContractMiddleware, spec=spec, log=log)
    client = TestClient(app)
    assert client.post("/orders", json={"sku": "TOO-LONG", "quantity": 1}).status_code == 201
    [finding] = log.findings
    assert finding.check == "contract_request"
    assert finding.evidence["data_pointer"] == "/sku"


def test_raise_mode_surfaces_the_finding_in_the_test() -> None:
    client, _ = _client(buggy=True, mode="raise")
    with pytest.raises(Finding, match="does not match the spec"):
        client.get("/orders/1")


def test_streaming_responses_still_stream() -> None:
    client, log = _client(buggy=False)
    with client.stream("GET", "/stream") as response:
        lines = list(response.iter_lines())
    assert lines == ["line 0", "line 1", "line 2"]
    log.assert_clean()


def test_the_spec_may_be_a_callable_loaded_on_first_request() -> None:
    app = make_app(buggy=True)
    log = ContractLog()
    app.add_middleware(ContractMiddleware, spec=make_app().openapi, log=log)
    TestClient(app).get("/internal/debug")
    assert [f.check for f in log.findings] == ["contract_undocumented"]


def test_long_bodies_are_not_validated() -> None:
    app = make_app(buggy=True)
    log = ContractLog()
    app.add_middleware(ContractMiddleware, spec=make_app().openapi(), log=log, max_body=10)
    TestClient(app).get("/orders/1")
    log.assert_clean()


def test_a_bad_mode_is_a_usage_error() -> None:
    with pytest.raises(AssayError, match="mode"):
        ContractMiddleware(make_app(), spec={}, mode="loud")  # type: ignore[arg-type]


def test_cors_preflights_and_heads_are_not_undocumented_routes() -> None:
    app = make_app()
    log = ContractLog()
    app.add_middleware(CORSMiddleware, allow_origins=["https://shop.test"], allow_methods=["*"])
    app.add_middleware(ContractMiddleware, spec=make_app().openapi(), log=log)
    client = TestClient(app)
    preflight = {"Origin": "https://shop.test", "Access-Control-Request-Method": "POST"}
    assert client.options("/orders", headers=preflight).status_code == 200
    assert client.head("/orders/1").status_code == 405  # FastAPI serves no HEAD for GET
    log.assert_clean()


def test_lifespan_passes_through_and_raise_mode_combines_findings() -> None:
    app = make_app()
    spec = make_app().openapi()
    spec["components"]["schemas"]["OrderIn"]["properties"]["sku"]["maxLength"] = 3
    spec["components"]["schemas"]["Order"]["properties"]["sku"]["maxLength"] = 3
    app.add_middleware(ContractMiddleware, spec=spec, mode="raise")
    with TestClient(app) as client, pytest.raises(Finding, match="2 contract violations in one"):
        client.post("/orders", json={"sku": "TOO-LONG", "quantity": 1})
