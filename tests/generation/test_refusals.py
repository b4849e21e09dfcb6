"""The refusal scenario: documented alternatives, and the items a refused body names."""

from __future__ import annotations

from typing import Any

from tests.generation.conftest import spec_of

from assay.generation.amounts import captured_amount
from assay.generation.properties import documented_alternatives
from assay.generation.refusals import MAX_WATCHED, watched_items
from assay.generation.steps import Stored
from assay.spec.model import Operation


def test_alternatives_are_examples_other_than_the_default() -> None:
    spec = spec_of({})
    schema = {
        "type": "object",
        "properties": {
            "method": {"type": "string", "default": "tok_ok", "examples": ["tok_ok", "tok_no"]},
            "note": {"type": "string", "examples": ["a", "b"]},
            "mode": {"type": "string", "default": "x", "example": "y"},
            "tags": {"type": "array", "default": [], "examples": [["a"]]},
        },
    }
    assert documented_alternatives(spec, schema) == [("method", "tok_no"), ("mode", "y")]


def _stored(operation: Any, *names: Any) -> Stored:
    return Stored(operation, {"path": {}}, "staff", frozenset(names))


def test_watched_items_are_those_the_body_names_by_known_ids_newest_first() -> None:
    read: Operation = object()  # type: ignore[assignment]
    product, batch, other = _stored(read, "A-1"), _stored(read, "b-1", "A-1"), _stored(read, "Z")
    body = {"lines": [{"sku": "A-1", "qty": 1}], "payment_method": "tok_no", "note": "Z"}
    known = {"sku": ["A-1", "Q-9"]}
    assert watched_items([product, batch, other], body, known) == [batch, product]
    assert watched_items([product], {"note": "A-1"}, known) == []
    many = [_stored(read, "A-1") for _ in range(MAX_WATCHED + 2)]
    assert len(watched_items(many, body, known)) == MAX_WATCHED


def test_the_captured_amount_is_read_from_a_captured_field_of_either_shape() -> None:
    assert captured_amount({"amount_minor": 9, "captured_minor": 5}) == ("captured_minor", 5, 5)
    money = {"amount": 7, "currency": "EUR"}
    assert captured_amount({"captured": money}) == ("captured", 7, money)
    assert captured_amount({"captured_minor": 0}) is None
    assert captured_amount({"amount": 3}) is None
    assert captured_amount(None) is None
