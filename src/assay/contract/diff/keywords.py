"""Keyword checks of one schema pair: type, format, enum, bounds, lengths, pattern, …

Each function compares one keyword family of two (resolved, canonical) schemas and
reports through the `Site`; the place and direction pick the rule and its level.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assay.contract.diff.changes import ChangeLog
from assay.contract.diff.sites import Site

__all__ = ["compare_keywords", "types_of"]

Schema = Mapping[str, Any]
_MISSING = object()


def types_of(schema: Schema) -> tuple[frozenset[str], bool]:
    """The types a schema admits without ``null`` (empty: any), and whether null is allowed."""
    raw = schema.get("type")
    types = {raw} if isinstance(raw, str) else set(raw) if isinstance(raw, list) else set()
    nullable = "null" in types or schema.get("nullable") is True
    types.discard("null")
    return frozenset(str(t) for t in types), nullable


def _covers(wide: frozenset[str], narrow: frozenset[str]) -> bool:
    if not wide:
        return True
    if not narrow:
        return False
    return all(t in wide or (t == "integer" and "number" in wide) for t in narrow)


def _label(types: frozenset[str]) -> str:
    return "/".join(sorted(types)) if types else "any"


def _types(log: ChangeLog, site: Site, old: Schema, new: Schema) -> None:
    (old_t, old_null), (new_t, new_null) = types_of(old), types_of(new)
    if old_t != new_t:
        check = (
            "type-widened"
            if _covers(new_t, old_t)
            else "type-narrowed"
            if _covers(old_t, new_t)
            else "type-changed"
        )
        site.emit(log, check, old=_label(old_t), new=_label(new_t))
    if old_null != new_null:
        site.emit(log, "nullable-added" if new_null else "nullable-removed")


def _presence(log: ChangeLog, site: Site, stem: str, old: Any, new: Any) -> None:
    """``{stem}-added`` / ``-removed`` / ``-changed`` for a keyword's value."""
    if old == new:
        return
    if old is _MISSING:
        site.emit(log, f"{stem}-added", new=new)
    elif new is _MISSING:
        site.emit(log, f"{stem}-removed", old=old)
    else:
        site.emit(log, f"{stem}-changed", old=old, new=new)


_WIDER_FORMAT = {("int32", "int64"), ("float", "double")}


def _formats(log: ChangeLog, site: Site, old: Any, new: Any) -> None:
    """A format change, or a widening/narrowing between sized numeric formats."""
    if (old, new) in _WIDER_FORMAT:
        site.emit(log, "format-widened", old=old, new=new)
    elif (new, old) in _WIDER_FORMAT:
        site.emit(log, "format-narrowed", old=old, new=new)
    else:
        _presence(log, site, "format", old, new)


def _enum_of(schema: Schema) -> list[Any] | None:
    if isinstance(schema.get("enum"), list):
        return list(schema["enum"])
    if "const" in schema:
        return [schema["const"]]
    return None


def _enums(log: ChangeLog, site: Site, old: Schema, new: Schema) -> None:
    old_e, new_e = _enum_of(old), _enum_of(new)
    if old_e is None and new_e is None:
        return
    if old_e is None:
        site.emit(log, "enum-added", new=new_e)
    elif new_e is None:
        site.emit(log, "enum-removed", old=old_e)
    else:
        for value in new_e:
            if value not in old_e and value is not None:
                site.emit(log, "enum-value-added", new=value)
        for value in old_e:
            if value not in new_e and value is not None:
                site.emit(log, "enum-value-removed", old=value)


Bound = tuple[float, bool]


def _bound(schema: Schema, upper: bool) -> Bound | None:
    """The effective bound (value, exclusive) from the 3.0 or 3.1 keywords."""
    plain, strict = ("maximum", "exclusiveMaximum") if upper else ("minimum", "exclusiveMinimum")
    found: list[Bound] = []
    if isinstance(schema.get(plain), (int, float)):
        found.append((schema[plain], schema.get(strict) is True))
    value = schema.get(strict)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        found.append((value, True))
    if not found:
        return None
    if upper:
        return min(found, key=lambda b: (b[0], not b[1]))
    return max(found, key=lambda b: (b[0], b[1]))


def _tighter(a: Bound, b: Bound, upper: bool) -> bool:
    """True when bound `a` admits strictly less than `b`."""
    if a[0] != b[0]:
        return a[0] < b[0] if upper else a[0] > b[0]
    return a[1] and not b[1]


def _show_bound(bound: Bound) -> Any:
    return f"{bound[0]} (exclusive)" if bound[1] else bound[0]


def _compare_bounds(
    log: ChangeLog, site: Site, word: str, pair: tuple[Bound | None, Bound | None], upper: bool
) -> None:
    old, new = pair
    if old == new:
        return
    if old is None and new is not None:
        site.emit(log, f"{word}-added", new=_show_bound(new))
    elif new is None and old is not None:
        site.emit(log, f"{word}-removed", old=_show_bound(old))
    elif old is not None and new is not None:
        narrowed = _tighter(new, old, upper)
        if not narrowed and not _tighter(old, new, upper):
            return
        went_down = narrowed == upper
        site.emit(
            log,
            f"{word}-{'decreased' if went_down else 'increased'}",
            old=_show_bound(old),
            new=_show_bound(new),
        )


def _count(schema: Schema, key: str) -> Bound | None:
    value = schema.get(key)
    return (value, False) if isinstance(value, int) and not isinstance(value, bool) else None


def _bounds(log: ChangeLog, site: Site, old: Schema, new: Schema) -> None:
    _compare_bounds(log, site, "max", (_bound(old, True), _bound(new, True)), True)
    _compare_bounds(log, site, "min", (_bound(old, False), _bound(new, False)), False)
    for word, key, upper in (
        ("max-length", "maxLength", True),
        ("min-length", "minLength", False),
        ("max-items", "maxItems", True),
        ("min-items", "minItems", False),
        ("max-properties", "maxProperties", True),
        ("min-properties", "minProperties", False),
    ):
        _compare_bounds(log, site, word, (_count(old, key), _count(new, key)), upper)


def _flags(log: ChangeLog, site: Site, old: Schema, new: Schema) -> None:
    old_u, new_u = old.get("uniqueItems") is True, new.get("uniqueItems") is True
    if old_u != new_u:
        site.emit(log, "unique-items-added" if new_u else "unique-items-removed")
    if old.get("default", _MISSING) != new.get("default", _MISSING):
        _presence(log, site, "default", old.get("default", _MISSING), new.get("default", _MISSING))


def compare_keywords(log: ChangeLog, site: Site, old: Schema, new: Schema) -> None:
    """Every keyword-level check of one schema pair."""
    _types(log, site, old, new)
    _formats(log, site, old.get("format", _MISSING), new.get("format", _MISSING))
    for key, stem in (("pattern", "pattern"), ("multipleOf", "multiple-of")):
        _presence(log, site, stem, old.get(key, _MISSING), new.get(key, _MISSING))
    _enums(log, site, old, new)
    _bounds(log, site, old, new)
    _flags(log, site, old, new)
