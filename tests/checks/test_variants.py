"""Variants of a sent case: its string values found, one swapped, sent the engine's way."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from fastapi import Body, FastAPI, Query
from tests.checks.bench import Probe
from tests.checks.conftest import MakeBench

from assay.checks._variants import Slot, send_variant, slots


def _echo() -> FastAPI:
    app = FastAPI()

    @app.post("/things/{name}")
    def thing(
        name: str, body: Annotated[dict[str, Any], Body()], q: Annotated[str, Query()] = ""
    ) -> dict[str, Any]:
        return {"name": name, "q": q, "body": body}

    return app


PROBE = Probe(
    "POST /things/{name}",
    path={"name": "lamp"},
    query={"q": "red"},
    body={"title": "Lamp", "tags": ["a", "b"], "count": 2},
)


def test_slots_are_every_string_value(bench: MakeBench) -> None:
    case = bench(_echo()).case(PROBE)
    found = {(s.label, s.value) for s in slots(case)}
    assert found == {
        ("path name", "lamp"),
        ("query q", "red"),
        ("body /title", "Lamp"),
        ("body /tags/0", "a"),
        ("body /tags/1", "b"),
    }


def test_a_variant_changes_one_value_only(bench: MakeBench) -> None:
    opened = bench(_echo())
    exchange = opened.send(PROBE)
    tag = Slot("body", ("tags", 1), "b")
    variant = send_variant(opened.context, exchange, tag, "b'")
    assert variant is not None
    assert variant.response.json() == {
        "name": "lamp",
        "q": "red",
        "body": {"title": "Lamp", "tags": ["a", "b'"], "count": 2},
    }
    query = send_variant(opened.context, exchange, Slot("query", ("q",), "red"), "blue")
    assert query is not None
    assert query.response.json()["q"] == "blue"
    assert exchange.case.body["tags"] == ["a", "b"]  # the original case is untouched


def test_a_case_of_an_unknown_identity_gets_no_variant(bench: MakeBench) -> None:
    opened = bench(_echo())
    exchange = opened.send(PROBE)
    exchange.case = replace(exchange.case, identity="ana~disposable")
    assert send_variant(opened.context, exchange, Slot("query", ("q",), "red"), "x") is None
