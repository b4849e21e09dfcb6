"""The corpus: every rule's example pair fires exactly that rule, and nothing else."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from assay.contract.diff import Level, all_rules
from assay.contract.diff.examples import example_documents
from assay.contract.diff.rule_docs import rules_markdown

from .conftest import fired

RULES = all_rules()
DOCS = Path(__file__).resolve().parents[3] / "docs" / "diff-rules.md"


@pytest.mark.parametrize("rule_id", list(RULES))
def test_example_fires_exactly_its_rule(rule_id: str) -> None:
    old, new = example_documents(RULES[rule_id].example)
    assert fired(old, new) == [rule_id]


@pytest.mark.parametrize("rule_id", list(RULES))
def test_example_reversed_fires_the_opposite(rule_id: str) -> None:
    """Going back from new to old undoes the change: the rule fires only if symmetric."""
    old, new = example_documents(RULES[rule_id].example)
    back = fired(new, old)
    symmetric = rule_id.endswith(("-changed", "-renamed"))
    assert (rule_id in back) == symmetric
    assert back, "undoing a change is a change too"


@pytest.mark.parametrize("rule_id", list(RULES))
def test_example_against_itself_fires_nothing(rule_id: str) -> None:
    old, new = example_documents(RULES[rule_id].example)
    assert fired(old, old) == []
    assert fired(new, new) == []


def test_the_catalogue_is_large_and_complete() -> None:
    levels = Counter(rule.level for rule in RULES.values())
    assert len(RULES) >= 150
    assert all(levels[level] > 0 for level in Level)
    for rule in RULES.values():
        assert rule.id == rule.id.lower()
        assert " " not in rule.id
        assert rule.summary.endswith(".")
        assert rule.message
        assert rule.area


def test_ids_the_issue_names_exist() -> None:
    for rule_id in (
        "request-parameter-became-required",
        "operation-removed",
        "request-media-type-removed",
        "request-required-property-added",
        "request-property-type-changed",
        "request-property-format-changed",
        "request-property-enum-value-removed",
        "response-property-enum-value-added",
        "request-property-max-length-decreased",
        "request-property-pattern-added",
        "response-required-property-removed",
        "response-property-became-optional",
        "response-property-nullable-added",
        "response-success-status-removed",
        "operation-security-added",
        "operation-security-scope-added",
        "request-property-default-changed",
        "operation-deprecated-without-sunset",
    ):
        assert rule_id in RULES


def test_docs_page_is_current() -> None:
    assert DOCS.read_text(encoding="utf-8") == rules_markdown(), (
        "docs/diff-rules.md is stale: run "
        "`python -m assay.contract.diff.rule_docs docs/diff-rules.md`"
    )
