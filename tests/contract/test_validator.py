"""ContractValidator on recorded traffic: HAR files, ndjson exchange records, live exchanges."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.contract.apps import make_app
from tests.contract.conftest import har_entry, write_har

from assay.client import APITestClient
from assay.contract.traffic import exchange_record, from_exchange, read_traffic
from assay.contract.validator import ContractValidator
from assay.errors import AssayError
from assay.spec import Spec

GOOD_ORDER = {"id": 1, "sku": "RED-CHAIR", "quantity": 2, "price": 9.5}


def test_conforming_har_traffic_has_no_findings(tmp_path: Path, orders_spec: Spec) -> None:
    har = write_har(
        tmp_path / "good.har",
        [
            har_entry("GET", "http://shop.test/orders/1", 200, GOOD_ORDER),
            har_entry(
                "POST",
                "http://shop.test/orders",
                201,
                GOOD_ORDER,
                request_body={"sku": "RED-CHAIR", "quantity": 2},
            ),
            har_entry("GET", "http://shop.test/nowhere", 404, {"detail": "Not Found"}),
        ],
    )
    report = ContractValidator(orders_spec).check_all(read_traffic(har))
    assert report.ok, [f.render() for f in report.findings]
    assert report.checked == 3


def test_a_wrong_response_field_is_a_finding_with_both_pointers(
    tmp_path: Path, orders_spec: Spec
) -> None:
    bad = {**GOOD_ORDER, "price": "9.50"}
    har = write_har(tmp_path / "bad.har", [har_entry("GET", "http://x/orders/1", 200, bad)] * 3)
    report = ContractValidator(orders_spec).check_all(read_traffic(har))
    assert len(report.findings) == 1
    finding = report.findings[0]
    assert finding.check == "contract_response"
    assert finding.operation == "GET /orders/{order_id}"
    assert finding.evidence["data_pointer"] == "/price"
    assert finding.evidence["schema_pointer"].startswith("#/components/schemas/Order")
    assert finding.evidence["occurrences"] == 3
    assert "bad.har#/log/entries/0" in finding.render()


def test_an_invalid_request_is_a_finding(tmp_path: Path, orders_spec: Spec) -> None:
    entry = har_entry(
        "POST", "http://x/orders", 201, GOOD_ORDER, request_body={"sku": "A", "quantity": 0}
    )
    report = ContractValidator(orders_spec).check_all(
        read_traffic(write_har(tmp_path / "r.har", [entry]))
    )
    [finding] = report.findings
    assert finding.check == "contract_request"
    assert finding.evidence["data_pointer"] == "/quantity"
    assert finding.evidence["schema_pointer"].endswith("OrderIn/properties/quantity")


def test_rejected_invalid_requests_count_only_when_asked(tmp_path: Path, orders_spec: Spec) -> None:
    entry = har_entry("POST", "http://x/orders", 422, None, request_body={"sku": "A"})
    records = read_traffic(write_har(tmp_path / "r.har", [entry]))
    assert ContractValidator(orders_spec).check_all(records).ok
    strict = ContractValidator(orders_spec, rejected_requests=True).check_all(records)
    assert [f.check for f in strict.findings] == ["contract_request"]


def test_path_parameters_are_checked(tmp_path: Path, orders_spec: Spec) -> None:
    entry = har_entry("GET", "http://x/orders/abc", 200, GOOD_ORDER)
    report = ContractValidator(orders_spec).check_all(
        read_traffic(write_har(tmp_path / "p.har", [entry]))
    )
    [finding] = report.findings
    assert finding.evidence["kind"] == "parameter-schema"


def test_undocumented_status_and_path(tmp_path: Path, orders_spec: Spec) -> None:
    entries = [
        har_entry("GET", "http://x/orders/1", 500, {"detail": "boom"}),
        har_entry("GET", "http://x/internal/debug", 200, {"debug": "on"}),
    ]
    report = ContractValidator(orders_spec).check_all(
        read_traffic(write_har(tmp_path / "u.har", entries))
    )
    checks = sorted(f.check for f in report.findings)
    assert checks == ["contract_response", "contract_undocumented"]
    assert report.unmatched == 1


def test_a_base_path_prefix_is_stripped(tmp_path: Path, orders_spec: Spec) -> None:
    entry = har_entry("GET", "http://x/api/orders/1", 200, GOOD_ORDER)
    records = read_traffic(write_har(tmp_path / "api.har", [entry]))
    assert ContractValidator(orders_spec).check_all(records).unmatched == 1
    assert ContractValidator(orders_spec, prefix="/api").check_all(records).ok


def test_ndjson_exchange_records_from_the_client(tmp_path: Path) -> None:
    with APITestClient(make_app(buggy=True), spec=None) as client:
        client.get("/orders/1")
        client.post("/orders", json={"sku": "A", "quantity": 1})
        records = [exchange_record(e) for e in client.exchanges]
    lines = [json.dumps({"event": "run_started"}), *map(json.dumps, records)]
    path = tmp_path / "events.ndjson"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    spec = make_app().openapi()
    report = ContractValidator(spec).check_all(read_traffic(path))
    assert report.checked == 2
    assert [f.evidence["data_pointer"] for f in report.findings] == ["/price"]


def test_live_exchanges_convert_directly() -> None:
    with APITestClient(make_app(), spec=None) as client:
        client.get("/orders/1")
        [exchange] = client.exchanges
    validator = ContractValidator(make_app().openapi())
    assert validator.check(from_exchange(exchange)) == []


def test_binary_bodies_round_trip_as_base64() -> None:
    with APITestClient(make_app(), spec=None) as client:
        client.post("/orders", content=b"\xff\xfe", headers={"content-type": "application/json"})
        record = exchange_record(client.exchanges[0])
    assert "body_base64" in record["request"]


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("t.har", "{not json", "not valid JSON"),
        ("t.har", '{"log": {}}', "no log.entries"),
        ("t.har", '{"log": {"entries": [{"request": {}}]}}', "HAR entry 0"),
        ("t.ndjson", "{}\nnope\n", "line 2"),
        ("t.ndjson", '{"request": {}, "response": {}}\n', "line 1"),
    ],
)
def test_malformed_traffic_is_a_clear_error(
    tmp_path: Path, name: str, text: str, expected: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AssayError, match=expected):
        read_traffic(path)


def test_a_missing_traffic_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(AssayError, match="cannot read the traffic file"):
        read_traffic(tmp_path / "missing.har")


def test_har_form_params_and_unanswered_entries(tmp_path: Path) -> None:
    form = har_entry("POST", "http://x/login", 204)
    form["request"]["postData"] = {
        "mimeType": "application/x-www-form-urlencoded",
        "params": [{"name": "user", "value": "ada"}, {"name": "pin", "value": "1 2"}],
    }
    blocked = har_entry("GET", "http://x/orders/1", 0)
    [record] = read_traffic(write_har(tmp_path / "f.har", [form, blocked]))
    assert record.request_body == b"user=ada&pin=1+2"
    assert record.request_content_type == "application/x-www-form-urlencoded"
