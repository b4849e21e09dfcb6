"""The registry of diff rules: what each rule means, how bad it is, and an example.

A `Rule` is data: an id (``request-parameter-became-required``), a `Level`, a summary
that says when it fires and why it has that level, a message template and an `Example`
pair of OpenAPI fragments that makes it fire (used by the docs and by the tests). The
catalogue modules under ``catalogue/`` define the rules by area; `all_rules` gathers them
on first use.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from assay.errors import AssayError

__all__ = ["Example", "Level", "Row", "Rule", "all_rules", "table"]


class Level(enum.IntEnum):
    """How much a change matters to existing clients; ordered, ERR is the worst."""

    INFO = 0
    WARN = 1
    ERR = 2

    def __str__(self) -> str:
        return self.name

    @classmethod
    def parse(cls, text: str) -> Level:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise AssayError(
                f"unknown level {text!r}", hint="Use one of ERR, WARN or INFO."
            ) from None


Scope = Literal["document", "operation", "schema"]


@dataclass(frozen=True, slots=True)
class Example:
    """A pair of fragments, old and new, that make a rule fire (and nothing else).

    `scope` says where the fragments go: ``document`` fragments are laid over a minimal
    document, ``operation`` fragments are the ``post`` operation of ``/orders``, and
    ``schema`` fragments are placed at `place` (see `assay.contract.diff.examples`).
    """

    scope: Scope
    old: Mapping[str, Any]
    new: Mapping[str, Any]
    place: str = ""


@dataclass(frozen=True, slots=True)
class Rule:
    """One kind of change the differ reports."""

    id: str
    level: Level
    summary: str
    message: str
    """Template with ``{subject}``, ``{old}``, ``{new}``, ``{name}`` fields."""
    example: Example
    area: str = ""


@cache
def all_rules() -> Mapping[str, Rule]:
    """Every rule by id, in catalogue order (areas, then definition order)."""
    from assay.contract.diff.catalogue import catalogue

    found: dict[str, Rule] = {}
    for entry in catalogue():
        if entry.id in found:
            raise ValueError(f"duplicate diff rule id {entry.id}")
        found[entry.id] = entry
    return found


Row = tuple[str, Level, str, str, Mapping[str, Any], Mapping[str, Any]]
"""(id, level, summary, message, old fragment, new fragment) — a catalogue table row."""


def table(area: str, scope: Scope, rows: list[Row]) -> list[Rule]:
    """Rules from a catalogue table whose examples share one scope."""
    return [
        Rule(rule_id, level, summary, message, Example(scope, old, new), area)
        for rule_id, level, summary, message, old, new in rows
    ]
