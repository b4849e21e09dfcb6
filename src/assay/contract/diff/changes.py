"""What the differ reports: `Change`s collected in a `ChangeLog`."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from assay.contract.diff.rules import Level, Rule, all_rules

__all__ = ["Change", "ChangeLog", "show"]


@dataclass(frozen=True, slots=True)
class Change:
    """One difference between the old and the new document, as a rule names it.

    `old_pointer`/`new_pointer` are JSON pointers into either document (``None`` on the
    side where the thing does not exist); `operation` is ``"POST /orders"`` when the
    change belongs to an operation. `accepted` holds the reason of the accept-file entry
    that covers the change.
    """

    rule: str
    level: Level
    message: str
    old_pointer: str | None
    new_pointer: str | None
    operation: str | None = None
    accepted: str | None = None

    def accept(self, reason: str) -> Change:
        return replace(self, accepted=reason)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "level": str(self.level),
            "message": self.message,
            "operation": self.operation,
            "old_pointer": self.old_pointer,
            "new_pointer": self.new_pointer,
            "accepted": self.accepted,
        }


def show(value: Any) -> str:
    """A value as messages print it: strings quoted, the rest as JSON."""
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, (list, tuple, frozenset, set)):
        return "[" + ", ".join(show(v) for v in value) + "]"
    return json.dumps(value, sort_keys=True, default=str)


class _Fields(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class ChangeLog:
    """Collects changes in the order the differ finds them."""

    def __init__(self, rules: Mapping[str, Rule] | None = None) -> None:
        self.rules = rules if rules is not None else all_rules()
        self.changes: list[Change] = []

    def add(
        self,
        rule_id: str,
        old_pointer: str | None,
        new_pointer: str | None,
        operation: str | None = None,
        /,
        **fields: Any,
    ) -> None:
        """Record one change; `fields` fill the rule's message (old/new values are shown)."""
        rule = self.rules[rule_id]
        values = _Fields({k: str(v) for k, v in fields.items() if k not in ("old", "new")})
        for key in ("old", "new"):
            if key in fields:
                values[key] = show(fields[key])
        message = rule.message.format_map(values)
        self.changes.append(
            Change(rule_id, rule.level, message, old_pointer, new_pointer, operation)
        )
