"""docs/diff-rules.md, generated from the registry (a test fails when the file is stale).

Regenerate with ``python -m assay.contract.diff.rule_docs docs/diff-rules.md``.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from assay.contract.diff.catalogue.checks import PLACES
from assay.contract.diff.catalogue.schemas import schema_checks
from assay.contract.diff.rules import Example, Level, Rule, all_rules

__all__ = ["rules_markdown", "write_rules_doc"]

_AREAS = {
    "paths": "Operations",
    "parameters": "Parameters",
    "bodies": "Request bodies",
    "responses": "Responses",
    "security": "Security",
    "properties": "Object properties",
    "document": "Document",
}
_SCOPES = {
    "document": "laid over a minimal document",
    "operation": "the `post` operation of `/orders`",
}
_HEAD = """# `assay diff` rules

Generated from the rule registry (`assay.contract.diff.all_rules()`); do not edit by
hand — regenerate with `python -m assay.contract.diff.rule_docs docs/diff-rules.md`.
Every example below is also a test: diffing its old and new fragments fires exactly
that rule (`tests/contract/diff/test_rule_corpus.py`).

Levels: **ERR** — breaking, existing clients fail; **WARN** — may break some clients or
needs attention; **INFO** — compatible. On the request side, accepting fewer values is
breaking; on the response side, sending more values is.
"""


def _json(value: Mapping[str, Any]) -> str:
    return json.dumps(value, separators=(", ", ": "))


def _example(example: Example) -> list[str]:
    where = _SCOPES.get(example.scope) or (
        f"the schema at `{example.place}`" if example.place else "the schema, at any place"
    )
    return [
        f"Example ({where}):",
        "",
        "```",
        f"old: {_json(example.old)}",
        f"new: {_json(example.new)}",
        "```",
        "",
    ]


def _rule_block(rule: Rule) -> list[str]:
    return [
        f"### `{rule.id}` · {rule.level}",
        "",
        rule.summary,
        "",
        f"Message: `{rule.message}`",
        "",
        *_example(rule.example),
    ]


def _schema_section() -> list[str]:
    lines = [
        "## Schemas",
        "",
        "Each schema check is one rule per place: "
        + ", ".join(f"`{p}`" for p in PLACES)
        + " (the structure checks only where objects sit). The place is in the rule id "
        "(`request-property-max-decreased`) and sets the level: narrowing is breaking in "
        "requests, widening in responses.",
        "",
    ]
    rules = all_rules()
    for check in schema_checks():
        ids = [f"{place}-{check.name}" for place in PLACES if f"{place}-{check.name}" in rules]
        lines += [
            f"### {check.name}",
            "",
            check.summary,
            f"Requests: **{check.request}**; responses: **{check.response}**.",
            "",
            f"Message: `{rules[ids[0]].message}`",
            "",
            "| rule | level |",
            "|---|---|",
        ]
        lines += [f"| `{i}` | {rules[i].level} |" for i in ids]
        lines += ["", *_example(Example("schema", check.old, check.new))]
    return lines


def rules_markdown() -> str:
    """The whole page."""
    rules = list(all_rules().values())
    counts = Counter(r.level for r in rules)
    lines = [
        _HEAD,
        f"{len(rules)} rules: "
        + ", ".join(f"{counts[level]} {level}" for level in (Level.ERR, Level.WARN, Level.INFO))
        + ".",
        "",
    ]
    for area, title in _AREAS.items():
        lines += [f"## {title}", ""]
        for rule in (r for r in rules if r.area == area):
            lines += _rule_block(rule)
    lines += _schema_section()
    return "\n".join(lines).rstrip() + "\n"


def write_rules_doc(path: str | Path) -> None:
    Path(path).write_text(rules_markdown(), encoding="utf-8")


if __name__ == "__main__":
    write_rules_doc(sys.argv[1] if len(sys.argv) > 1 else "docs/diff-rules.md")
