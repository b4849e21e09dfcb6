"""Whole messages against a pact: status, headers (Content-Type parameters), query, body."""

from __future__ import annotations

import pytest

from assay.contract.pact.comparison import Received, compare_request, compare_response
from assay.contract.pact.model import PactRequest, PactResponse


@pytest.mark.parametrize(
    ("expected", "actual", "ok"),
    [
        ("application/json", "application/json", True),
        ("application/json", "Application/JSON; charset=utf-8", True),
        ("text/plain; charset=utf-8", "text/plain;charset=UTF-8", True),
        ("text/plain; charset=utf-8", "text/plain; charset=latin-1", False),
        ("text/plain; charset=utf-8", "text/plain", False),
        ("application/json", "application/problem+json", False),
    ],
)
def test_content_type_compares_media_types_and_the_expected_parameters(
    expected: str, actual: str, ok: bool
) -> None:
    pact = PactResponse(200, headers={"Content-Type": expected})
    found = compare_response(pact, Received(status=200, headers={"content-type": actual}))
    assert (not found) is ok, found


def test_other_headers_compare_their_comma_separated_values() -> None:
    pact = PactResponse(200, headers={"Vary": "Accept, API-Version"})
    assert not compare_response(pact, Received(status=200, headers={"vary": "Accept,API-Version"}))
    [mismatch] = compare_response(pact, Received(status=200, headers={"vary": "Accept"}))
    assert str(mismatch).startswith("header Vary: expected ['Accept', 'API-Version']")


def test_requests_compare_method_path_query_and_body() -> None:
    pact = PactRequest("POST", "/orders", query={"dry": ["1"]}, body={"sku": "A"}, has_body=True)
    good = Received.request(
        "post", "/orders", "dry=1", {"Content-Type": "application/json"}, b'{"sku": "A"}'
    )
    assert compare_request(pact, good) == []
    bad = Received.request("PUT", "/order", "", {}, b"not json")
    found = [str(m) for m in compare_request(pact, bad)]
    assert found == [
        "method: expected POST, got PUT",
        "path: expected ['/orders'], got ['/order']",
        "query parameter dry: missing (expected ['1'])",
        "body: is not JSON: b'not json'",
    ]


def test_a_text_body_must_be_equal() -> None:
    pact = PactResponse(200, headers={"Content-Type": "text/plain"}, body="pong", has_body=True)
    assert not compare_response(
        pact, Received(status=200, headers={"content-type": "text/plain"}, body=b"pong")
    )
    assert compare_response(
        pact, Received(status=200, headers={"content-type": "text/plain"}, body=b"ping")
    )


def test_a_text_body_may_carry_a_regex_rule() -> None:
    rules = {"body": {"$": {"matchers": [{"match": "regex", "regex": r"pong \d+"}]}}}
    pact = PactResponse(200, body="pong 1", has_body=True, matching_rules=rules)
    assert not compare_response(pact, Received(status=200, body=b"pong 42"))
    assert compare_response(pact, Received(status=200, body=b"pong!"))


def test_matchers_on_text_values_read_numbers_as_text() -> None:
    rules = {
        "query": {
            "page": {"matchers": [{"match": "integer"}]},
            "ratio": {"matchers": [{"match": "decimal"}]},
            "size": {"matchers": [{"match": "number"}]},
        }
    }
    query = {"page": ["1"], "ratio": ["0.5"], "size": ["10"]}
    pact = PactRequest("GET", "/items", query=query, matching_rules=rules)
    good = Received.request("GET", "/items", "page=7&ratio=2.25&size=3.5", {}, b"")
    assert compare_request(pact, good) == []
    bad = Received.request("GET", "/items", "page=x&ratio=2&size=big", {}, b"")
    assert [m.where for m in compare_request(pact, bad)] == [
        "query parameter page",
        "query parameter ratio",
        "query parameter size",
    ]
