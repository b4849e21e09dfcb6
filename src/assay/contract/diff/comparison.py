"""The state of one comparison: both specs, the change log, and what is known unchanged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from assay.contract.diff.changes import ChangeLog
from assay.spec.model import Spec
from assay.spec.pointers import resolve_pointer

__all__ = ["Comparison", "sunset_date"]


@dataclass
class Comparison:
    """Both documents being compared and where changes go."""

    old: Spec
    new: Spec
    log: ChangeLog
    today: dt.date = field(default_factory=dt.date.today)
    _clean: dict[str, bool] = field(default_factory=dict)
    _resolved: dict[tuple[bool, Any], tuple[Any, str]] = field(default_factory=dict)
    _refs: dict[int, tuple[Any, tuple[str, ...]]] = field(default_factory=dict)

    def resolve(self, spec: Spec, schema: Any) -> tuple[Any, str]:
        """Follow `$ref`s; returns the schema and the last reference followed (or ``""``)."""
        if not isinstance(schema, dict) or not isinstance(schema.get("$ref"), str):
            return schema, ""
        key = (spec is self.new, schema["$ref"])
        known = self._resolved.get(key)
        if known is None:
            known = self._follow(spec, schema)
            self._resolved[key] = known
        return known

    @staticmethod
    def _follow(spec: Spec, schema: Any) -> tuple[Any, str]:
        ref = ""
        seen: set[str] = set()
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            ref = schema["$ref"]
            if ref in seen:
                return {}, ref
            seen.add(ref)
            try:
                schema = resolve_pointer(spec.raw, ref)
            except Exception:  # a dangling reference compares as "anything"
                return {}, ref
        return schema, ref

    def unchanged(self, old: Any, new: Any) -> bool:
        """Equal as written, and every reference inside leads to equal schemas."""
        if old is new and self.old is self.new:
            return True
        return bool(old == new) and all(self.clean_ref(r) for r in self.refs_in(old))

    def equivalent(self, old: Any, new: Any) -> bool:
        """Unchanged once the references at the top are followed (a `$ref` move)."""
        if self.unchanged(old, new):
            return True
        (old_schema, _), (new_schema, _) = self.resolve(self.old, old), self.resolve(self.new, new)
        return self.unchanged(old_schema, new_schema)

    def clean_ref(self, ref: str) -> bool:
        known = self._clean.get(ref)
        if known is not None:
            return known
        self._clean[ref] = True  # assumed while in progress: recursion is co-inductive
        try:
            old, new = resolve_pointer(self.old.raw, ref), resolve_pointer(self.new.raw, ref)
        except Exception:
            self._clean[ref] = False
            return False
        result = bool(old == new) and all(self.clean_ref(r) for r in self.refs_in(old))
        self._clean[ref] = result
        return result

    def refs_in(self, node: Any) -> tuple[str, ...]:
        key = id(node)
        known = self._refs.get(key)
        if known is not None:
            return known[1]
        found = tuple(sorted(set(_walk_refs(node))))
        self._refs[key] = (node, found)  # the node is kept, so its id is never reused
        return found

    def is_future(self, sunset: str | None) -> bool:
        """True when `sunset` is a date after today (a deprecated thing still promised)."""
        day = sunset_date(sunset)
        return day is not None and day > self.today


def _walk_refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield ref
        for value in node.values():
            if isinstance(value, (dict, list)):
                yield from _walk_refs(value)
    elif isinstance(node, list):
        for value in node:
            if isinstance(value, (dict, list)):
                yield from _walk_refs(value)


def sunset_date(value: Any) -> dt.date | None:
    """An ``x-sunset`` value as a date: ISO date, ISO datetime or an HTTP date."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError):
        return None
