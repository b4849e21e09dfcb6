"""The provider side: replay pacts with provider states; mismatches per interaction."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI, Header, HTTPException
from tests.contract.inventory_app import make_inventory, states

from assay.cli import main
from assay.client import APITestClient
from assay.contract.pact import (
    PactBuilder,
    ProviderStates,
    integer,
    like,
    read_pact,
    regex,
    verify_pact,
)
from assay.contract.pact.states import DEFAULT_STATES, load_states, provider_state
from assay.errors import AssayError

PACTS = Path(__file__).resolve().parents[1] / "pacts"
REFERENCE = PACTS / "pact-python-orders-inventory.json"


def test_a_correct_provider_passes() -> None:
    outcome = verify_pact(REFERENCE, make_inventory(), states=states)
    assert outcome.ok, outcome.render()
    assert "2 interactions, 0 failed" in outcome.render()


def test_a_wrong_provider_fails_per_interaction() -> None:
    outcome = verify_pact(REFERENCE, make_inventory(buggy=True), states=states)
    text = outcome.render()
    assert [r.ok for r in outcome.results] == [False, False]
    assert "FAIL  'a stock query'" in text
    assert "body $.available: expected an integer, got '5'" in text
    assert "header Location: missing" in text


def test_state_handlers_set_up_and_tear_down() -> None:
    calls: list[str] = []
    registry = ProviderStates()

    @registry.provider_state("an order exists")
    def order(order_id: int, **rest: Any) -> Iterator[None]:
        calls.append(f"up {order_id} {sorted(rest)}")
        yield
        calls.append("down")

    pact = PactBuilder("shop", "orders")
    pact.given("an order exists", order_id=3, extra=1).upon_receiving("x").with_request(
        "GET", "/nothing"
    ).will_respond_with(404)
    outcome = verify_pact(pact.pact(), make_inventory(), states=registry)
    assert outcome.ok, outcome.render()
    assert calls == ["up 3 ['extra']", "down"]


def test_a_missing_or_failing_state_handler_is_reported() -> None:
    registry = ProviderStates()

    @registry.provider_state("broken")
    def broken() -> None:
        raise RuntimeError("database down")

    pact = PactBuilder("shop", "orders")
    pact.given("broken").upon_receiving("a").with_request("GET", "/").will_respond_with(200)
    pact.given("unknown").upon_receiving("b").with_request("GET", "/").will_respond_with(200)
    outcome = verify_pact(pact.pact(), make_inventory(), states=registry)
    errors = [r.error or "" for r in outcome.results]
    assert "raised RuntimeError: database down" in errors[0]
    assert "no handler for the provider state 'unknown'" in errors[1]


def test_verifying_against_a_live_url() -> None:
    consumer = PactBuilder("orders", "inventory")
    consumer.upon_receiving("ping").with_request("GET", "/ping").will_respond_with(
        200, body={"ok": like(True), "n": integer(1)}
    )
    with consumer.serve() as url:
        outcome = verify_pact(consumer.pact(), url)
    assert outcome.ok, outcome.render()


def test_state_registries_load_from_import_strings() -> None:
    assert load_states("tests.contract.inventory_app:states") is states
    assert load_states("tests.contract.inventory_app") is DEFAULT_STATES
    with pytest.raises(AssayError, match="not a ProviderStates registry"):
        load_states("tests.contract.inventory_app:make_inventory")
    with pytest.raises(AssayError, match="was not found"):
        load_states("tests.contract.no_such_module")


def test_the_default_registry_decorator() -> None:
    @provider_state("assay test: a default state")
    def default_state() -> None:
        return None

    assert "assay test: a default state" in DEFAULT_STATES
    DEFAULT_STATES.handlers.pop("assay test: a default state")


def test_v2_pacts_are_read_as_v3(tmp_path: Path) -> None:
    v2 = {
        "consumer": {"name": "c"},
        "provider": {"name": "p"},
        "interactions": [
            {
                "description": "d",
                "providerState": "s",
                "request": {"method": "get", "path": "/x", "query": "a=1&a=2"},
                "response": {
                    "status": 200,
                    "body": {"id": 1},
                    "matchingRules": {
                        "$.body.id": {"match": "type"},
                        "$.headers.X": {"match": "regex", "regex": "a"},
                    },
                },
            }
        ],
        "metadata": {"pactSpecification": {"version": "2.0.0"}},
    }
    path = tmp_path / "v2.json"
    path.write_text(json.dumps(v2))
    [interaction] = read_pact(path).interactions
    assert interaction.states[0].name == "s"
    assert interaction.request.query == {"a": ["1", "2"]}
    assert interaction.response.matching_rules["body"] == {
        "$.id": {"matchers": [{"match": "type"}], "combine": "AND"}
    }
    assert "X" in interaction.response.matching_rules["header"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{", "not valid JSON"),
        ("[]", "not a JSON object"),
        ('{"consumer": {"name": "c"}, "provider": {}}', "at /provider/name"),
        (
            '{"consumer": {"name": "c"}, "provider": {"name": "p"}, "interactions": [{}]}',
            "/interactions/0/description",
        ),
        (
            '{"consumer": {"name": "c"}, "provider": {"name": "p"}, "interactions": '
            '[{"description": "d", "request": {"method": "GET", "path": "/"}, '
            '"response": {"status": "200"}}]}',
            "/interactions/0/response/status",
        ),
    ],
)
def test_malformed_pacts_are_clear_errors_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, expected: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(AssayError, match=expected):
        read_pact(path)
    assert (
        main(["contract", "verify", str(path), "--target", "tests.contract.inventory_app:app"]) == 2
    )
    assert "malformed" in capsys.readouterr().err


def test_cli_verify_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    target = ["--target", "tests.contract.inventory_app:app"]
    args = [
        "contract",
        "verify",
        str(REFERENCE),
        *target,
        "--states",
        "tests.contract.inventory_app:states",
    ]
    assert main(args) == 0
    assert "2 interactions, 0 failed" in capsys.readouterr().out
    assert main(["contract", "verify", str(REFERENCE), *target]) == 1
    assert "no handler for the provider state" in capsys.readouterr().out
    assert main(["contract", "verify", str(PACTS / "missing.json"), *target]) == 2


def _keyed_provider() -> FastAPI:
    app = FastAPI()

    @app.get("/secret")
    def secret(x_api_key: str = Header("")) -> dict[str, str]:
        if x_api_key != "real-key":
            raise HTTPException(401, "bad key")
        return {"secret": "s"}

    return app


def test_extra_headers_replace_the_pacts_credentials() -> None:
    pact = PactBuilder("c", "p")
    pact.upon_receiving("a secret").with_request(
        "GET", "/secret", headers={"X-API-Key": regex("consumer-key", r".+")}
    ).will_respond_with(200, body={"secret": like("x")})
    assert not verify_pact(pact.pact(), _keyed_provider()).ok
    assert verify_pact(pact.pact(), _keyed_provider(), headers={"x-api-key": "real-key"}).ok


def test_cli_header_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["contract", "verify", str(REFERENCE), "--target", "tests.contract.inventory_app:app"]
    assert main([*args, "--header", "no colon"]) == 2
    assert "--header takes 'Name: value'" in capsys.readouterr().err
    states_arg = ["--states", "tests.contract.inventory_app:states"]
    assert main([*args, *states_arg, "--header", "X-Trace: 1"]) == 0


def test_a_client_the_state_handlers_share_can_be_the_target() -> None:
    with APITestClient(make_inventory(), spec=None) as client:
        outcome = verify_pact(REFERENCE, client, states=states)
        assert outcome.ok, outcome.render()
        assert client.get("/v1/stock/RED-CHAIR").status_code == 404  # torn down, still open
