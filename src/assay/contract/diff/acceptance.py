"""The accept file: intended breaking changes, each with a reason and an expiry date.

A YAML or JSON list of entries::

    - rule: request-parameter-became-required
      operation: GET /orders            # and/or
      pointer: "#/paths/~1orders/get/parameters/0"
      reason: "v2 clients always send it (ticket API-142)"
      expires: 2026-12-31

An entry matches a change with the same rule whose operation and/or pointer (old or
new side; a pointer also matches everything below it) are the ones given. A matching
change is reported as accepted and does not fail the run. An entry whose ``expires``
date has passed matches nothing and is itself reported.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assay.contract.diff.changes import Change
from assay.errors import AssayError

__all__ = [
    "Acceptance",
    "Acceptances",
    "apply_acceptances",
    "load_acceptances",
    "parse_acceptances",
]

_TEMPLATE = re.compile(r"\{[^}]+\}")


@dataclass(frozen=True, slots=True)
class Acceptance:
    """One entry of the accept file."""

    rule: str
    reason: str
    operation: str | None = None
    pointer: str | None = None
    expires: dt.date | None = None
    index: int = 0

    def label(self) -> str:
        where = self.operation or self.pointer or "anywhere"
        return f"{self.rule} at {where}"

    def expired(self, today: dt.date) -> bool:
        return self.expires is not None and self.expires < today

    def matches(self, change: Change) -> bool:
        if change.rule != self.rule:
            return False
        if self.operation is not None and not _same_operation(self.operation, change.operation):
            return False
        if self.pointer is None:
            return True
        return any(_under(self.pointer, p) for p in (change.old_pointer, change.new_pointer))

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "operation": self.operation,
            "pointer": self.pointer,
            "reason": self.reason,
            "expires": self.expires.isoformat() if self.expires else None,
        }


def _same_operation(wanted: str, actual: str | None) -> bool:
    """``get /orders/{order_id}`` names ``GET /orders/{id}`` too (as the differ matches)."""
    if actual is None:
        return False
    method, _, path = wanted.strip().partition(" ")
    other_method, _, other_path = actual.partition(" ")
    same_path = _TEMPLATE.sub("{}", path.strip()) == _TEMPLATE.sub("{}", other_path)
    return method.upper() == other_method.upper() and same_path


def _under(prefix: str, pointer: str | None) -> bool:
    return pointer is not None and (
        pointer == prefix or pointer.startswith(prefix.rstrip("/") + "/")
    )


def load_acceptances(path: str | Path) -> list[Acceptance]:
    """The entries of an accept file (YAML or JSON)."""
    from assay.spec.documents import parse_text, syntax_for

    location = Path(path)
    try:
        text = location.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise AssayError(
            f"the accept file {location} could not be read: {exc.strerror or exc}",
            hint="Check the path given to --accept.",
        ) from None
    document = (
        parse_text(text, str(location), syntax=syntax_for(location.name)) if text.strip() else []
    )
    return parse_acceptances(document, str(location))


def parse_acceptances(document: Any, origin: str = "<accept>") -> list[Acceptance]:
    if isinstance(document, dict) and "accept" in document:
        document = document["accept"]
    if not isinstance(document, list):
        raise AssayError(
            f"the accept file {origin} must hold a list of entries",
            hint="Write one entry per accepted change: rule, operation or pointer, reason, "
            "expires.",
        )
    return [_entry(item, i, origin) for i, item in enumerate(document)]


def _entry(item: Any, index: int, origin: str) -> Acceptance:
    where = f"{origin} entry {index + 1}"
    if not isinstance(item, dict):
        raise AssayError(f"{where} is not a mapping", hint="Give rule, reason and expires keys.")
    rule, reason = item.get("rule") or item.get("id"), item.get("reason")
    if not isinstance(rule, str) or not rule:
        raise AssayError(
            f"{where} has no rule", hint="Add rule: <rule id> (see docs/diff-rules.md)."
        )
    if not isinstance(reason, str) or not reason.strip():
        raise AssayError(f"{where} ({rule}) has no reason", hint="Say why the change is intended.")
    _known(rule, where)
    return Acceptance(
        rule=rule,
        reason=reason.strip(),
        operation=_text(item.get("operation"), where, "operation"),
        pointer=_text(item.get("pointer"), where, "pointer"),
        expires=_date(item.get("expires"), where),
        index=index,
    )


def _known(rule: str, where: str) -> None:
    """A typo in a rule id would accept nothing, silently: it is an error instead."""
    from difflib import get_close_matches

    from assay.contract.diff.rules import all_rules

    if rule in all_rules():
        return
    close = get_close_matches(rule, list(all_rules()), n=3)
    hint = f"Did you mean {', '.join(close)}?" if close else "See docs/diff-rules.md for the ids."
    raise AssayError(f"{where}: there is no diff rule {rule!r}", hint=hint)


def _text(value: Any, where: str, key: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise AssayError(f"{where}: {key} must be a string, got {value!r}")


def _date(value: Any, where: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise AssayError(
            f"{where}: expires {value!r} is not a date", hint="Write it as YYYY-MM-DD."
        ) from None


@dataclass(frozen=True, slots=True)
class Acceptances:
    """The changes with accepted ones marked; expired entries; live entries that matched
    nothing (the change they accepted is gone: the entry can be removed)."""

    changes: list[Change]
    expired: list[Acceptance]
    unused: list[Acceptance]


def apply_acceptances(
    changes: Iterable[Change], entries: Iterable[Acceptance], today: dt.date
) -> Acceptances:
    entries = list(entries)
    live = [e for e in entries if not e.expired(today)]
    used: set[int] = set()
    marked = []
    for change in changes:
        entry = next((e for e in live if e.matches(change)), None)
        if entry is not None:
            used.add(entry.index)
        marked.append(change.accept(entry.reason) if entry else change)
    unused = [e for e in live if e.index not in used]
    return Acceptances(marked, [e for e in entries if e.expired(today)], unused)
