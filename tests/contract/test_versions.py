"""Versioning checks: frozen contract, routing by URL/header/media type, unknown versions,
deprecation headers — each fires on the broken app and stays silent on the correct one."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from tests.contract.versioned_app import make_versioned

from assay.client import APITestClient
from assay.contract.traffic import exchange_record, read_traffic
from assay.contract.versions import (
    check_frozen_contract,
    check_unknown_version,
    check_version_headers,
    check_version_routing,
    freeze,
    replay_against_snapshot,
    restrict,
)
from assay.errors import Finding
from assay.spec import Spec, load


@pytest.fixture(scope="module")
def good_spec() -> Spec:
    return load(make_versioned())


@pytest.fixture
def good() -> Iterator[APITestClient]:
    with APITestClient(make_versioned(), spec=None) as client:
        yield client


@pytest.fixture
def buggy() -> Iterator[APITestClient]:
    with APITestClient(make_versioned(buggy=True), spec=None) as client:
        yield client


@pytest.fixture
def snapshot(tmp_path: Path, good_spec: Spec) -> Path:
    return freeze(good_spec, "/v1", tmp_path / "contracts" / "v1.json")


def test_restrict_keeps_only_the_versions_paths(good_spec: Spec) -> None:
    assert [op.label for op in restrict(good_spec, "/v1")] == ["GET /v1/orders/{order_id}"]


def test_an_unchanged_version_honours_its_frozen_contract(snapshot: Path) -> None:
    changed_v2 = make_versioned().openapi()
    changed_v2["paths"]["/v2/orders/{order_id}"]["get"]["parameters"][0]["schema"] = {
        "type": "string"
    }
    assert json.loads(snapshot.read_text())["paths"].keys() == {"/v1/orders/{order_id}"}
    assert not [
        c for c in check_frozen_contract(snapshot, changed_v2, prefix="/v1") if c.level >= 2
    ]


def test_a_breaking_change_to_a_frozen_version_is_a_finding(snapshot: Path) -> None:
    with pytest.raises(Finding) as raised:
        check_frozen_contract(snapshot, make_versioned(buggy=True), prefix="/v1")
    finding = raised.value
    assert finding.check == "frozen_contract"
    rules = {c["rule"] for c in finding.evidence["changes"]}
    assert rules, finding.render()
    assert "snapshot #/" in finding.render()


def test_replaying_recorded_traffic_against_the_snapshot(
    tmp_path: Path, snapshot: Path, good: APITestClient, buggy: APITestClient
) -> None:
    good.get("/v1/orders/1")
    good.get("/v2/orders/1")
    log = tmp_path / "events.ndjson"
    log.write_text("\n".join(json.dumps(exchange_record(e)) for e in good.exchanges))
    records = read_traffic(log)
    assert replay_against_snapshot(good, snapshot, records, prefix="/v1") == []
    findings = replay_against_snapshot(buggy, snapshot, records, prefix="/v1")
    assert findings
    assert {f.check for f in findings} == {"contract_response"}


def test_url_routing_answers_each_version_in_its_contract(
    good: APITestClient, buggy: APITestClient, good_spec: Spec
) -> None:
    versions = {"/v1": good_spec, "/v2": good_spec}
    assert [r.status_code for r in check_version_routing(good, "/orders/1", versions)] == [200, 200]
    with pytest.raises(Finding, match="version /v1 of /orders/1 answers outside its contract"):
        check_version_routing(buggy, "/orders/1", versions)


def test_header_routing_validates_against_the_versions_schema(
    good: APITestClient, good_spec: Spec
) -> None:
    versions = {"1": good_spec, "2": good_spec}
    check_version_routing(
        good, "/orders/1", versions, header="API-Version", spec_path="/v{version}{path}"
    )
    swapped = {"1": good_spec, "2": good_spec}
    with pytest.raises(Finding, match="version 2"):
        check_version_routing(
            good, "/orders/1", swapped, header="API-Version", spec_path="/v1{path}"
        )


def test_media_type_negotiation_per_version(good_spec: Spec) -> None:
    app = FastAPI()

    @app.get("/v1/orders/{order_id}")
    def order(order_id: int) -> JSONResponse:
        return JSONResponse({"id": order_id, "sku": "A", "price": 1.0})

    with (
        APITestClient(app, spec=None) as client,
        pytest.raises(Finding, match=r"asked for application/vnd\.shop\.v1"),
    ):
        check_version_routing(
            client,
            "/v1/orders/1",
            {"1": good_spec},
            accept="application/vnd.shop.v{version}+json",
            spec_path="{path}",
        )


def test_unknown_versions_get_a_helpful_4xx(good: APITestClient, buggy: APITestClient) -> None:
    assert check_unknown_version(good, "/v9/orders/1", supported=["v1", "v2"]).status_code == 404
    check_unknown_version(good, "/orders/1", headers={"API-Version": "9"}, supported=["1", "2"])
    with pytest.raises(Finding, match="no helpful 4xx"):
        check_unknown_version(buggy, "/v9/orders/1")
    with pytest.raises(Finding, match="crashes"):
        check_unknown_version(buggy, "/orders/1", headers={"API-Version": "9"})
    with pytest.raises(Finding, match="served as if it existed"):
        check_unknown_version(good, "/v2/orders/1")
    with pytest.raises(Finding, match="names none of the supported versions"):
        check_unknown_version(good, "/v9/orders/1", supported=["2026-01"])


def test_deprecation_headers(good: APITestClient, buggy: APITestClient) -> None:
    check_version_headers(good, "/v1/orders/1", deprecated=True, successor=True)
    check_version_headers(good, "/v2/orders/1", deprecated=False)
    with pytest.raises(Finding) as raised:
        check_version_headers(buggy, "/v1/orders/1", deprecated=True, successor=True)
    problems = raised.value.evidence["problems"]
    assert len(problems) == 3
    with pytest.raises(Finding, match="announces a deprecation"):
        check_version_headers(good, "/v1/orders/1", deprecated=False)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            {"Deprecation": "soon", "Sunset": "Sat, 31 Dec 2039 23:59:59 GMT"},
            "neither @<unix time>",
        ),
        ({"Deprecation": "true", "Sunset": "next year"}, "is not an HTTP date"),
        (
            {"Deprecation": "@1000", "Sunset": "Sat, 01 Jan 2000 00:00:00 GMT"},
            "after its Sunset date",
        ),
        (
            {"Deprecation": "@4102444800", "Sunset": "Sat, 31 Dec 2039 23:59:59 GMT"},
            "later than Sunset",
        ),
        ({"Deprecation": "true"}, "no Sunset header"),
    ],
)
def test_bad_deprecation_values(headers: dict[str, str], expected: str) -> None:
    app = FastAPI()

    @app.get("/v1/thing")
    def thing() -> JSONResponse:
        return JSONResponse({}, headers=headers)

    with APITestClient(app, spec=None) as client, pytest.raises(Finding, match=expected):
        check_version_headers(client, "/v1/thing", deprecated=True)


def test_a_snapshot_keeps_only_the_schemas_its_version_uses(good_spec: Spec) -> None:
    schemas = restrict(good_spec, "/v1").raw["components"]["schemas"]
    assert "OrderV1" in schemas
    assert "OrderV2" not in schemas
    assert "Money" not in schemas
