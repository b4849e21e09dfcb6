"""The consumer side: declare, call the mock (ASGI or HTTP), verify the calls, write v3."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest

from assay.client import APITestClient
from assay.contract.pact import PactBuilder, each_like, integer, like, read_pact, regex
from assay.errors import AssayError, Finding


def _stock_pact() -> PactBuilder:
    pact = PactBuilder("orders", "inventory")
    pact.given("sku RED-CHAIR has stock", sku="RED-CHAIR").upon_receiving(
        "a stock query"
    ).with_request(
        "GET",
        regex("/v1/stock/RED-CHAIR", r"/v1/stock/[A-Z-]+"),
        query={"detail": "full"},
        headers={"Accept": "application/json"},
    ).will_respond_with(
        200,
        body={"sku": like("RED-CHAIR"), "available": integer(5), "bins": each_like({"id": 1})},
    )
    pact.upon_receiving("a reservation").with_request(
        "POST", "/v1/reservations", body={"sku": "RED-CHAIR", "quantity": integer(2)}
    ).will_respond_with(
        201, headers={"Location": regex("/v1/reservations/1", r"/v1/reservations/\d+")}
    )
    return pact


def test_the_mock_answers_in_process_and_the_calls_verify() -> None:
    pact = _stock_pact()
    with APITestClient(pact.app, spec=None) as client:
        stock = client.get(
            "/v1/stock/RED-CHAIR?detail=full", headers={"Accept": "application/json"}
        )
        assert stock.json() == {"sku": "RED-CHAIR", "available": 5, "bins": [{"id": 1}]}
        made = client.post("/v1/reservations", json={"sku": "RED-CHAIR", "quantity": 9})
        assert made.status_code == 201
        assert made.headers["location"] == "/v1/reservations/1"
    pact.verify()


def test_the_mock_serves_real_http_on_loopback() -> None:
    pact = _stock_pact()
    with pact.serve() as url:
        assert url.startswith("http://127.0.0.1:")
        with httpx2.Client(base_url=url) as http:
            response = http.get(
                "/v1/stock/RED-CHAIR",
                params={"detail": "full"},
                headers={"Accept": "application/json"},
            )
            assert response.json()["available"] == 5
            http.post("/v1/reservations", json={"sku": "RED-CHAIR", "quantity": 1})
    pact.verify()


def test_missing_and_unexpected_calls_fail_verification() -> None:
    pact = _stock_pact()
    with APITestClient(pact.app, spec=None) as client:
        wrong = client.post("/v1/reservations", json={"sku": "RED-CHAIR", "quantity": "two"})
        assert wrong.status_code == 500
        assert "closest interaction 'a reservation'" in wrong.json()["detail"]
    with pytest.raises(Finding) as raised:
        pact.verify()
    text = str(raised.value)
    assert "never called: 'a stock query' given 'sku RED-CHAIR has stock'" in text
    assert "never called: 'a reservation'" in text
    assert "unexpected request POST /v1/reservations" in text
    assert "$.quantity: expected an integer, got 'two'" in text


def test_requests_must_not_carry_unexpected_query_or_keys() -> None:
    pact = _stock_pact()
    with APITestClient(pact.app, spec=None) as client:
        client.get("/v1/stock/RED-CHAIR?detail=full&x=1", headers={"Accept": "application/json"})
        client.post("/v1/reservations", json={"sku": "RED-CHAIR", "quantity": 1, "note": "x"})
    problems = "\n".join(pact.problems())
    assert "query parameter x: not expected by the pact" in problems
    assert "unexpected key 'note'" in problems


def test_the_pact_file_is_v3(tmp_path: Path) -> None:
    pact = _stock_pact()
    path = pact.write(tmp_path)
    assert path.name == "orders-inventory.json"
    document = json.loads(path.read_text())
    assert document["metadata"]["pactSpecification"] == {"version": "3.0.0"}
    first, second = document["interactions"]
    assert first["providerStates"] == [
        {"name": "sku RED-CHAIR has stock", "params": {"sku": "RED-CHAIR"}}
    ]
    assert first["request"]["query"] == {"detail": ["full"]}
    assert first["request"]["matchingRules"]["path"] == {
        "matchers": [{"match": "regex", "regex": "/v1/stock/[A-Z-]+"}],
        "combine": "AND",
    }
    assert first["response"]["matchingRules"]["body"]["$.bins"]["matchers"] == [
        {"match": "type", "min": 1}
    ]
    assert first["response"]["headers"] == {"Content-Type": "application/json"}
    assert second["request"]["matchingRules"]["body"]["$.quantity"]["matchers"] == [
        {"match": "integer"}
    ]
    assert (
        second["response"]["matchingRules"]["header"]["Location"]["matchers"][0]["match"] == "regex"
    )
    assert "body" not in second["response"]
    assert read_pact(path).interactions == tuple(pact.interactions)


def test_writing_merges_by_description_and_states(tmp_path: Path) -> None:
    _stock_pact().write(tmp_path)
    other = PactBuilder("orders", "inventory")
    other.upon_receiving("a reservation").with_request(
        "POST", "/v1/reservations"
    ).will_respond_with(409)
    path = other.write(tmp_path)
    interactions = read_pact(path).interactions
    assert [i.description for i in interactions] == ["a stock query", "a reservation"]
    assert interactions[1].response.status == 409
    assert len(read_pact(other.write(tmp_path, merge=False)).interactions) == 1


def test_declaration_mistakes_are_usage_errors() -> None:
    pact = PactBuilder("a", "b")
    with pytest.raises(AssayError, match="upon_receiving"):
        pact.will_respond_with(200)
    pact.upon_receiving("x").with_request("GET", "/").will_respond_with(200)
    with pytest.raises(AssayError, match="declared twice"):
        pact.upon_receiving("x").with_request("GET", "/").will_respond_with(200)


def test_the_http_mock_reads_chunked_request_bodies() -> None:
    pact = PactBuilder("orders", "inventory")
    pact.upon_receiving("an upload").with_request(
        "POST", "/uploads", headers={"Content-Type": "application/json"}, body={"a": integer(1)}
    ).will_respond_with(202)

    def chunks() -> Iterator[bytes]:
        yield b'{"a"'
        yield b": 5}"

    with pact.serve() as url, httpx2.Client(base_url=url) as http:
        sent = http.post("/uploads", content=chunks(), headers={"Content-Type": "application/json"})
        assert sent.status_code == 202, sent.text
    pact.verify()
