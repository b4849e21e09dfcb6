"""The `assay_pact` fixture in a child pytest: verify calls, write pacts, merge per session."""

from __future__ import annotations

import json

import pytest

pytest_plugins = ["pytester"]

TESTS = """
import httpx2
from assay.client import APITestClient
from assay.contract.pact import integer, like


def _declare(pact, description, path):
    pact.upon_receiving(description).with_request("GET", path).will_respond_with(
        200, body={"sku": like("RED-CHAIR"), "available": integer(5)}
    )


def test_in_process(assay_pact):
    pact = assay_pact("orders", "inventory")
    _declare(pact, "stock of RED-CHAIR", "/v1/stock/RED-CHAIR")
    with APITestClient(pact.app, spec=None) as client:
        assert client.get("/v1/stock/RED-CHAIR").json()["available"] == 5


def test_over_http(assay_pact):
    pact = assay_pact("orders", "inventory")
    _declare(pact, "stock of BLUE-TABLE", "/v1/stock/BLUE-TABLE")
    with pact.serve() as url:
        assert httpx2.get(url + "/v1/stock/BLUE-TABLE").status_code == 200
"""


def test_passing_tests_write_one_merged_pact(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)  # the child is no xdist worker
    pytester.makepyfile(test_consumer=TESTS)
    result = pytester.runpytest("-W", "error")
    result.assert_outcomes(passed=2)
    document = json.loads((pytester.path / "pacts" / "orders-inventory.json").read_text())
    assert [i["description"] for i in document["interactions"]] == [
        "stock of RED-CHAIR",
        "stock of BLUE-TABLE",
    ]
    assert document["metadata"]["pactSpecification"]["version"] == "3.0.0"
    # a new session replaces what earlier sessions wrote
    pytester.runpytest("-k", "in_process").assert_outcomes(passed=1, deselected=1)
    document = json.loads((pytester.path / "pacts" / "orders-inventory.json").read_text())
    assert len(document["interactions"]) == 1


def test_missing_calls_or_a_failing_test_write_no_pact(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_lazy="""
from assay.client import APITestClient


def _declare(pact):
    pact.upon_receiving("a charge").with_request("POST", "/charges").will_respond_with(201)


def test_never_calls(assay_pact):
    _declare(assay_pact("orders", "payments"))


def test_fails(assay_pact):
    pact = assay_pact("orders", "payments")
    _declare(pact)
    with APITestClient(pact.app, spec=None) as client:
        client.post("/charges")
    assert False, "the consumer's own assertion"
"""
    )
    result = pytester.runpytest("-W", "error")
    result.assert_outcomes(passed=1, failed=1, errors=1)
    result.stdout.fnmatch_lines(["*never called: 'a charge'*"])
    assert not (pytester.path / "pacts").exists()
