"""Matchers and matching rules: what passes, what fails and how the failure reads."""

from __future__ import annotations

from typing import Any

import pytest

from assay.contract.pact.matchers import (
    body_rules,
    decimal,
    each_like,
    equal,
    example_of,
    include,
    integer,
    like,
    number,
    regex,
)
from assay.contract.pact.matching import compare_body, path_tokens
from assay.errors import AssayError

BODY: Any = {
    "id": integer(7),
    "sku": like("RED-CHAIR"),
    "price": decimal(9.5),
    "total": number(10),
    "date": regex("2026-11-25", r"\d{4}-\d{2}-\d{2}"),
    "note": include("stock", "in stock"),
    "lines": each_like({"sku": like("A"), "qty": integer(1)}, min=1),
    "kind": "order",
}


def test_examples_replace_matchers() -> None:
    assert example_of(BODY) == {
        "id": 7,
        "sku": "RED-CHAIR",
        "price": 9.5,
        "total": 10,
        "date": "2026-11-25",
        "note": "in stock",
        "lines": [{"sku": "A", "qty": 1}],
        "kind": "order",
    }


def test_rules_are_v3_paths_with_matchers() -> None:
    rules = body_rules(BODY)
    assert rules["$.id"] == {"matchers": [{"match": "integer"}], "combine": "AND"}
    assert rules["$.lines"]["matchers"] == [{"match": "type", "min": 1}]
    assert rules["$.lines[*].qty"]["matchers"] == [{"match": "integer"}]
    assert rules["$.date"]["matchers"] == [{"match": "regex", "regex": r"\d{4}-\d{2}-\d{2}"}]
    assert "$.kind" not in rules
    assert body_rules({"a-b": like(1)}) == {
        "$['a-b']": {"matchers": [{"match": "type"}], "combine": "AND"}
    }


GOOD = {
    "id": 12,
    "sku": "BLUE-TABLE",
    "price": 19.99,
    "total": 20.5,
    "date": "2027-01-02",
    "note": "plenty in stock",
    "lines": [{"sku": "B", "qty": 3}, {"sku": "C", "qty": 4}],
    "kind": "order",
    "extra": True,
}


def _compare(actual: Any, *, extra: bool = True) -> list[str]:
    found = compare_body(example_of(BODY), actual, body_rules(BODY), allow_extra_keys=extra)
    return [str(m) for m in found]


def test_a_matching_body_passes() -> None:
    assert _compare(GOOD) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"id": "12"}, "$.id: expected an integer, got '12'"),
        ({"id": True}, "$.id: expected an integer, got True"),
        ({"sku": 5}, "$.sku: expected a string, got 5"),
        ({"price": 19}, "$.price: expected a decimal number, got 19"),
        ({"total": "20"}, "$.total: expected a number, got '20'"),
        ({"date": "02/01/2027"}, "does not match the regex"),
        ({"note": "sold out"}, "expected a string containing 'stock'"),
        ({"lines": []}, "$.lines: expected at least 1 items, got 0"),
        ({"lines": [{"sku": "B", "qty": "3"}]}, "$.lines[0].qty: expected an integer"),
        ({"lines": [{"qty": 3}]}, "$.lines[0]: the key 'sku' is missing"),
        ({"kind": "refund"}, "$.kind: expected 'order', got 'refund'"),
    ],
)
def test_a_mismatch_says_where_and_what(change: dict[str, Any], expected: str) -> None:
    problems = _compare({**GOOD, **change})
    assert len(problems) == 1, problems
    assert expected in problems[0]


def test_extra_keys_only_in_responses() -> None:
    assert _compare(GOOD, extra=True) == []
    assert _compare(GOOD, extra=False) == ["$: unexpected key 'extra'"]


def test_a_type_rule_cascades_to_children() -> None:
    expected = like({"name": "chair", "tags": ["a"], "size": {"w": 1}})
    rules = body_rules(expected)
    actual = {"name": "table", "tags": ["x", "y"], "size": {"w": 3}}
    assert compare_body(example_of(expected), actual, rules, allow_extra_keys=True) == []
    wrong = {"name": 1, "tags": [], "size": {"w": "3"}}
    found = compare_body(example_of(expected), wrong, rules, allow_extra_keys=True)
    assert sorted(m.where for m in found) == ["$.name", "$.size.w"]


def test_equal_stops_a_cascade() -> None:
    expected = like({"status": equal("paid"), "amount": 5})
    rules = body_rules(expected)
    found = compare_body(
        example_of(expected), {"status": "open", "amount": 7}, rules, allow_extra_keys=True
    )
    assert [str(m) for m in found] == ["$.status: expected exactly 'paid', got 'open'"]


def test_without_rules_lists_must_match_exactly() -> None:
    found = compare_body({"a": [1, 2]}, {"a": [1]}, {}, allow_extra_keys=True)
    assert [str(m) for m in found] == ["$.a: expected 2 items, got 1"]


def test_or_combines_matchers() -> None:
    rules = {"$.v": {"matchers": [{"match": "integer"}, {"match": "null"}], "combine": "OR"}}
    assert compare_body({"v": 1}, {"v": None}, rules, allow_extra_keys=True) == []
    assert len(compare_body({"v": 1}, {"v": "x"}, rules, allow_extra_keys=True)) == 2


def test_unknown_matchers_are_reported_not_passed() -> None:
    rules = {"$.v": {"matchers": [{"match": "semver"}]}}
    [mismatch] = compare_body({"v": "1.0.0"}, {"v": "1.0.0"}, rules, allow_extra_keys=True)
    assert "not supported" in mismatch.message


def test_values_matcher_ignores_keys() -> None:
    rules = {"$.stock": {"matchers": [{"match": "values"}]}}
    expected = {"stock": {"A": 1}}
    assert compare_body(expected, {"stock": {"X": 4, "Y": 5}}, rules, allow_extra_keys=True) == []
    assert compare_body(expected, {"stock": {"X": "4"}}, rules, allow_extra_keys=True)


def test_the_most_specific_rule_wins() -> None:
    rules = {
        "$.items[*].id": {"matchers": [{"match": "type"}]},
        "$.items[0].id": {"matchers": [{"match": "integer"}]},
    }
    found = compare_body(
        {"items": [{"id": 1}]}, {"items": [{"id": 2.5}]}, rules, allow_extra_keys=True
    )
    assert [m.where for m in found] == ["$.items[0].id"]


def test_path_tokens() -> None:
    assert path_tokens("$.a[*].b") == ["$", "a", "[*]", "b"]
    assert path_tokens("$['x y'][0]") == ["$", "x y", "[0]"]
    assert path_tokens("$.a.*") == ["$", "a", "*"]


@pytest.mark.parametrize(
    "make",
    [
        lambda: regex("abc", r"\d+"),
        lambda: regex("abc", "("),
        lambda: integer(1.5),  # type: ignore[arg-type]
        lambda: decimal(1),  # type: ignore[arg-type]
        lambda: number("1"),  # type: ignore[arg-type]
        lambda: include("x", "abc"),
        lambda: each_like(1, min=2, max=1),
    ],
)
def test_bad_matchers_are_rejected_when_declared(make: Any) -> None:
    with pytest.raises(AssayError):
        make()
