"""Boundary and invalid values for one schema: the variants a field is tried with.

`Edges.variants(node, carrier)` lists `Variant`s for one value: exact bounds (positive),
one step outside them (negative), wrong types, ``null``, enum members and a non-member,
invalid formats, overlong and unicode strings. `carrier` says how the value travels:
``"json"`` (a JSON body: types are JSON types) or ``"text"`` (a parameter or form field:
the server parses text, so ``"12"`` *is* an integer and the only wrong types are texts
that cannot parse). Each variant's `tier` orders it (0 = most valuable). Wrong-type
values are ones pydantic's lax mode cannot coerce (``"abc"`` for an integer, never
``"12"``; ``"maybe"`` for a boolean, never ``"yes"``), and no variant relies on what
FastAPI forgives by design (a repeated item in a ``uniqueItems`` set).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from assay.generation.cases import CaseKind
from assay.generation.formats import ENFORCED_FORMATS, format_edges, invalid_format_values
from assay.generation.numbers import integer_span, number_span, step_of
from assay.generation.regex import RegexSampler, UnsupportedPattern, matches
from assay.generation.walk import Limits, Node, limits

__all__ = ["MISSING", "Carrier", "Edges", "Variant", "number_text"]

Carrier = Literal["json", "text"]
MISSING: Any = object()
"""The value of a variant that removes the field."""

UNICODE_SAMPLES: tuple[tuple[str, str], ...] = (
    ("right-to-left text", "مرحبا بالعالم"),
    ("emoji", "ok 🎉👍🏽"),
    ("combining marks", "Zoe\u0301 Mu\u0308ller"),
    ("joined emoji", "👨\u200d👩\u200d👧 family"),
)
_HUGE = 10**20
_OVERLONG_EXTRA = 10_000
_JSON_WRONG: dict[str, Any] = {
    "string": 12345,
    "integer": "abc",
    "number": "abc",
    "boolean": "maybe",
    "array": "not-an-array",
    "object": "not-an-object",
}
_TEXT_WRONG = {"integer": "abc", "number": "abc", "boolean": "maybe"}
_FALLBACK_WRONG: tuple[tuple[str, Any], ...] = (
    ("integer", 12345),
    ("string", "abc"),
    ("object", {"unexpected": "object"}),
    ("array", ["unexpected"]),
)


@dataclass(frozen=True, slots=True)
class Variant:
    """One value to try for a field, whether it is valid, and why."""

    value: Any
    kind: CaseKind
    label: str
    tier: int
    edge: bool = False


def _type_of(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


class Edges:
    """Makes variants; `rng` only picks filler characters, so output is deterministic."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.regex = RegexSampler()

    def variants(self, node: Node, carrier: Carrier, current: Any = None) -> Iterator[Variant]:
        """Every variant of one value (not yet checked against the schema).

        `current` is the field's valid value, which array variants grow or shrink.
        """
        yield from self._wrong_type(node, carrier)
        if carrier == "json" and not node.nullable:
            yield Variant(None, "negative", "null where the schema does not allow null", 0)
        enum = node.enum
        if enum is not None:
            yield from self._enum(enum, node, carrier)
            return
        kinds = set(node.types)
        if "integer" in kinds or "number" in kinds:
            yield from self._numbers(node, integer="number" not in kinds)
        if "string" in kinds:
            yield from self._strings(node, carrier)
        if "boolean" in kinds:
            yield Variant(True, "positive", "true", 2)
            yield Variant(False, "positive", "false", 2)
        if "array" in kinds and isinstance(current, list):
            yield from _arrays(node, carrier, current)

    # Types and enums ----------------------------------------------------------------------

    def _wrong_type(self, node: Node, carrier: Carrier) -> Iterator[Variant]:
        kinds = set(node.types)
        if not kinds or node.branches:
            return
        if carrier == "text":
            if "string" in kinds:
                return
            for kind in node.types:
                value = _TEXT_WRONG.get(kind)
                if value is not None:
                    yield Variant(value, "negative", f"{value!r} cannot be read as {kind}", 0)
                    return
            return
        value = _JSON_WRONG.get(node.types[0])
        if value is None or _type_of(value) in kinds:
            value = next((v for k, v in _FALLBACK_WRONG if k not in kinds), None)
        if value is not None:
            label = f"{_type_of(value)} {value!r} where {'/'.join(node.types)} is expected"
            yield Variant(value, "negative", label, 0)
        if "integer" in kinds and "number" not in kinds:
            yield Variant(1.5, "negative", "1.5 where an integer is expected", 1)

    def _enum(self, enum: list[Any], node: Node, carrier: Carrier) -> Iterator[Variant]:
        for member in enum:
            if member is not None and (carrier == "json" or not isinstance(member, dict | list)):
                yield Variant(member, "positive", f"enum member {member!r}", 2)
        outsider = _outsider(enum, node)
        if outsider is not None:
            yield Variant(outsider, "negative", f"{outsider!r} is not one of the enum", 1)

    # Numbers ------------------------------------------------------------------------------

    def _numbers(self, node: Node, integer: bool) -> Iterator[Variant]:
        lim = limits(node)
        low, high = integer_span(lim) if integer else number_span(lim)
        if low is not None:
            yield Variant(low, "positive", f"{low}: the smallest valid value", 2, lim.format_low)
            yield self._below(lim, integer)
        if high is not None:
            yield Variant(high, "positive", f"{high}: the largest valid value", 2, lim.format_high)
            yield self._above(lim, integer)
        yield from _multiple_violation(lim, low, high, integer)
        yield from _extremes(lim, integer)

    def _below(self, lim: Limits, integer: bool) -> Variant:
        bound = lim.low if lim.low is not None else 0
        if lim.low_open:
            value: float = bound
            label = f"{number_text(bound)} equals the exclusive minimum"
        else:
            value = _step(bound, -step_of(Limits(None, None), integer), integer)
            label = f"{number_text(value)} is below the minimum {number_text(bound)}"
        return Variant(_num(value, integer), "negative", label, 0, edge=lim.format_low)

    def _above(self, lim: Limits, integer: bool) -> Variant:
        bound = lim.high if lim.high is not None else 0
        if lim.high_open:
            value: float = bound
            label = f"{number_text(bound)} equals the exclusive maximum"
        else:
            value = _step(bound, step_of(Limits(None, None), integer), integer)
            label = f"{number_text(value)} is above the maximum {number_text(bound)}"
        return Variant(_num(value, integer), "negative", label, 0, edge=lim.format_high)

    # Strings ------------------------------------------------------------------------------

    def _strings(self, node: Node, carrier: Carrier) -> Iterator[Variant]:
        low = int(node.bound("minLength") or 0)
        high = node.bound("maxLength")
        pattern = node.get("pattern")
        fmt = node.get("format")
        if low > 0:
            yield from self._exact(node, low, "the shortest valid string")
            short = "x" * (low - 1)
            label = "empty string" if not short else f"{low - 1} characters, below minLength {low}"
            yield Variant(short, "negative", label, 0)
        if high is not None:
            high = int(high)
            yield from self._exact(node, high, "the longest valid string")
            yield Variant("x" * (high + 1), "negative", f"{high + 1} characters, over maxLength", 0)
            long = "x" * (high + _OVERLONG_EXTRA)
            yield Variant(long, "negative", f"{len(long)} characters, far over maxLength", 3)
        if isinstance(pattern, str):
            yield from _pattern_violation(pattern)
        if isinstance(fmt, str) and fmt in ENFORCED_FORMATS:
            for bad in invalid_format_values(fmt):
                yield Variant(bad, "negative", f"{bad!r} is not a valid {fmt}", 1)
            for value, label in format_edges(fmt):
                yield Variant(value, "positive", f"{label} ({value})", 3, edge=True)
        if pattern is None and fmt is None:
            yield from _unicode(low, None if high is None else int(high), carrier)

    def _exact(self, node: Node, length: int, label: str) -> Iterator[Variant]:
        pattern = node.get("pattern")
        if node.get("format") is not None:
            return
        if isinstance(pattern, str):
            try:
                text = self.regex.sample(pattern, self.rng, length, length)
            except UnsupportedPattern:
                return
        else:
            text = "".join(self.rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(length))
        yield Variant(text, "positive", f"{label} ({length} characters)", 2)


def _arrays(node: Node, carrier: Carrier, current: list[Any]) -> Iterator[Variant]:
    low = int(node.bound("minItems") or 0)
    high = node.bound("maxItems")
    if low > 0 and len(current) >= low:
        fewer = current[: low - 1]
        if fewer or carrier == "json":  # an empty list in a parameter is no parameter at all
            yield Variant(fewer, "negative", f"{low - 1} items, below minItems {low}", 0)
    if high is not None and current:
        unique = node.get("uniqueItems") is True
        extra = [_distinct(current[-1], i, unique) for i in range(int(high) + 1 - len(current))]
        if all(e is not MISSING for e in extra):
            more = [*current, *extra]
            yield Variant(more, "negative", f"{len(more)} items, over maxItems {int(high)}", 0)
    # A repeated item in a uniqueItems array is never sent: pydantic reads such an array
    # into a set and drops the repeat, which is FastAPI's documented behaviour.


def _distinct(item: Any, index: int, unique: bool) -> Any:
    """A copy of `item`, made different from the others when the array needs unique items."""
    if not unique:
        return item
    if isinstance(item, str):
        return f"{item}{index + 1}"
    if isinstance(item, int | float) and not isinstance(item, bool):
        return item + index + 1
    return MISSING


def number_text(value: float) -> str:
    """``1`` for 1.0, so labels read like the spec (JSON makes no difference)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _num(value: float, integer: bool) -> float:
    return int(value) if integer and float(value).is_integer() else value


def _step(bound: float, step: float, integer: bool) -> float:
    if integer:
        return (int(bound) if float(bound).is_integer() else bound) + step
    return round(bound + step, 10)


def _multiple_violation(
    lim: Limits, low: float | None, high: float | None, integer: bool
) -> Iterator[Variant]:
    if lim.multiple is None or (integer and lim.multiple == 1):
        return
    base = low if low is not None else (high if high is not None else 0)
    value = base + lim.multiple / 2
    if (low is None or value >= low) and (high is None or value <= high):
        yield Variant(
            _num(value, integer), "negative", f"{value} is not a multiple of {lim.multiple}", 1
        )


def _extremes(lim: Limits, integer: bool) -> Iterator[Variant]:
    huge: float = _HUGE if integer else 1e308
    if lim.high is None:
        yield Variant(huge, "positive", f"a huge value {huge}", 3, edge=True)
    if lim.low is None:
        yield Variant(-huge, "positive", f"a huge negative value {-huge}", 3, edge=True)
        yield Variant(0 if integer else 0.0, "positive", "zero", 3, edge=True)
        yield Variant(-1 if integer else -1.5, "positive", "a negative value", 3, edge=True)


def _pattern_violation(pattern: str) -> Iterator[Variant]:
    for candidate in ("!!!", "~", "0", "a", " ", "zz-ZZ"):
        if not matches(pattern, candidate):
            yield Variant(candidate, "negative", f"{candidate!r} does not match {pattern!r}", 1)
            return


def _unicode(low: int, high: int | None, carrier: Carrier) -> Iterator[Variant]:
    for label, sample in UNICODE_SAMPLES:
        text = _fit(sample, low, high)
        if text is not None:
            yield Variant(text, "positive", label, 3)
    if carrier == "json":
        text = _fit("nul\x00byte", low, high)
        if text is not None:
            yield Variant(text, "positive", "a NUL character", 3, edge=True)


def _fit(text: str, low: int, high: int | None) -> str | None:
    if high is not None and high < 1:
        return None
    while len(text) < low:
        text += text
    return text if high is None else text[:high]


def _outsider(enum: list[Any], node: Node) -> Any:
    strings = [v for v in enum if isinstance(v, str)]
    numbers = [v for v in enum if isinstance(v, int | float) and not isinstance(v, bool)]
    if strings or not numbers:
        candidate: Any = "not-a-member"
        while candidate in enum:
            candidate += "-x"
        return candidate if strings or "string" in node.types or not node.types else None
    return max(numbers) + 1
