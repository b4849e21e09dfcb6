"""Hypothesis strategies for the schemas of a document, built once and cached.

`StrategyBuilder.valid(schema, place)` returns a strategy drawing values meant to match
`schema` (the fuzz phase still checks each drawn value with the validator and rejects
the few that do not, e.g. under conflicting ``allOf`` patterns). `place` is where the
value travels: ``json`` (a body), ``query``, ``path`` or ``token`` (a header or cookie),
which narrows the characters strings may use. Integers and floats shrink towards the
smallest valid magnitude, so a failure shrinks to the boundary that exposes it.
Strategies are cached per (schema object, place, depth band).
"""

from __future__ import annotations

import datetime
import json
import random
from functools import partial
from typing import Any, Literal

from hypothesis import strategies as st

from assay.generation.baseline import generated_parameters
from assay.generation.cases import UNSET
from assay.generation.composition import discriminator_tag
from assay.generation.formats import format_value
from assay.generation.mutations import FuzzPlan, key_of, not_empty
from assay.generation.numbers import integer_span, number_span
from assay.generation.regex import compiled, matches
from assay.generation.targets import Target, first_outside, out_of_range
from assay.generation.values import UnsatisfiableSchema, ValueFactory
from assay.generation.walk import Limits, Node, limits

__all__ = ["Place", "StrategyBuilder", "request_strategy"]

Place = Literal["json", "query", "path", "token", "form", "csv"]
Strategy = st.SearchStrategy[Any]

_REALISTIC = 10**9
_EXTRA_ITEMS = 4
_EXTRA_CHARS = 24
_HARD_DEPTH = 10
# Text a reader may trim: header tokens, and CSV cells (a row must read back as drawn).
_TRIMMED = ("token", "csv")
_EXCLUDED: dict[str, str] = {
    "json": "\x00",
    "query": "\x00,",
    "path": "\x00,/\\",
    "form": "\x00",
    "csv": "\x00\r",
}


def _alphabet(place: Place) -> st.SearchStrategy[str]:
    if place == "token":
        return st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters=',;"\\')
    return st.characters(exclude_categories=["Cs"], exclude_characters=_EXCLUDED[place])


def _date_time(value: datetime.datetime) -> str:
    return value.replace(microsecond=0).isoformat() + "Z"


_FORMATS: dict[str, Strategy] = {
    "date": st.dates(datetime.date(1970, 1, 1), datetime.date(2100, 1, 1)).map(str),
    "date-time": st.datetimes(datetime.datetime(1970, 1, 1), datetime.datetime(2100, 1, 1)).map(
        _date_time
    ),
    "time": st.times().map(lambda t: t.replace(microsecond=0).isoformat()),
    "uuid": st.uuids().map(str),
    "ipv4": st.ip_addresses(v=4).map(str),
    "ipv6": st.ip_addresses(v=6).map(str),
}


class StrategyBuilder:
    """Builds strategies for one document's schemas (through a `ValueFactory`'s reader)."""

    def __init__(self, factory: ValueFactory, *, complete: bool = False) -> None:
        self.factory = factory
        self.reader = factory.reader
        self.complete = complete
        self.max_depth = factory.max_depth
        self._cache: dict[tuple[int, str, int], tuple[Any, Strategy]] = {}

    def valid(self, schema: Any, place: Place = "json", depth: int = 0) -> Strategy:
        """A strategy for values of `schema` carried in `place`."""
        band = min(depth, self.max_depth) if depth <= self.max_depth else depth
        key = (id(schema), place, band)
        cached = self._cache.get(key)
        if cached is not None and cached[0] is schema:
            return cached[1]
        built = self._build(schema, place, depth)
        self._cache[key] = (schema, built)
        return built

    def _build(self, schema: Any, place: Place, depth: int) -> Strategy:
        if depth > _HARD_DEPTH:
            return st.nothing()
        node = self.reader.node(schema)
        enum = node.enum
        if enum is not None:
            members = [v for v in enum if v is not None or (place == "json" and node.nullable)]
            return st.sampled_from(members) if members else st.nothing()
        if not node.types and node.get("type") is not None:  # "type": "null" and nothing else
            return st.none() if place == "json" else st.nothing()
        if node.branches:
            strategy = self._branches(node, place, depth)
        elif not node.types:
            strategy = self._text(node, place)
        else:
            strategy = st.one_of([self._typed(node, kind, place, depth) for kind in node.types])
        if node.nullable and place == "json":
            return st.none() | strategy
        return strategy

    def _typed(self, node: Node, kind: str, place: Place, depth: int) -> Strategy:
        if kind == "string":
            return self._text(node, place)
        if kind == "integer":
            return _integers(limits(node))
        if kind == "number":
            return _floats(limits(node))
        if kind == "boolean":
            return st.booleans()
        if kind == "array":
            return self._array(node, place, depth)
        if kind == "object":
            return self._object(node, place, depth)
        return st.nothing()

    def _branches(self, node: Node, place: Place, depth: int) -> Strategy:
        options: list[Strategy] = []
        for index in range(len(node.branches)):
            combined = self.factory.composer.combined(node, index)
            branch = self.valid(combined, place, depth + 1)
            tag = discriminator_tag(node, index)
            prop = (node.discriminator or {}).get("propertyName")
            if tag is not None and isinstance(prop, str):
                branch = branch.map(partial(_tagged, prop, tag))
            options.append(branch)
        return st.one_of(options)

    def _text(self, node: Node, place: Place) -> Strategy:
        low = int(node.bound("minLength") or 0)
        if place in ("path", "form", "csv"):
            low = max(low, 1)  # no empty path segment; an empty form field reads as missing
        high_bound = node.bound("maxLength")
        high = int(high_bound) if high_bound is not None else low + _EXTRA_CHARS
        pattern = node.get("pattern")
        fmt = node.get("format")
        if isinstance(pattern, str):
            strategy = self._pattern(node, pattern, place)
        elif isinstance(fmt, str) and format_value(fmt, random.Random(0)) is not None:
            known = _FORMATS.get(fmt)
            strategy = known if known is not None else _seeded_format(fmt)
        else:
            return st.text(_alphabet(place), min_size=low, max_size=high).filter(
                lambda s: s not in (".", "..") and (place not in _TRIMMED or s == s.strip())
            )
        return strategy.filter(
            lambda s: low <= len(s) <= high and (place != "csv" or s == s.strip())
        )

    def _pattern(self, node: Node, pattern: str, place: Place) -> Strategy:
        try:
            drawn: Strategy = st.from_regex(compiled(pattern) or pattern, alphabet=_alphabet(place))
            return drawn.filter(lambda s: matches(pattern, s))
        except Exception:  # a pattern Python cannot parse: fall back to sampled values
            try:
                return st.just(self.factory.fork(pattern).valid(node.schema))
            except UnsatisfiableSchema:
                return st.nothing()

    def _array(self, node: Node, place: Place, depth: int) -> Strategy:
        low = int(node.bound("minItems") or 0)
        high_bound = node.bound("maxItems")
        extra = 0 if depth >= self.max_depth else _EXTRA_ITEMS
        high = low + extra if high_bound is None else min(int(high_bound), low + extra)
        if self.complete and depth < self.max_depth and high >= 1:
            low = max(low, 1)
        items = node.get("items", {})
        item = self.valid(items if items is not None else {}, place, depth + 1)
        unique = node.get("uniqueItems") is True
        return st.lists(
            item,
            min_size=low,
            max_size=max(low, high),
            unique_by=(lambda v: json.dumps(v, sort_keys=True, default=repr)) if unique else None,
        )

    def _object(self, node: Node, place: Place, depth: int) -> Strategy:
        required: dict[str, Strategy] = {}
        optional: dict[str, Strategy] = {}
        for name, schema, needed in self.reader.properties(node):
            if self.reader.is_read_only(schema):
                continue
            if needed or (self.complete and depth < self.max_depth):
                required[name] = self.valid(schema, place, depth + 1)
            elif depth < self.max_depth:
                optional[name] = self.valid(schema, place, depth + 1)
        for name in node.required:
            if name not in node.properties:
                required[name] = self._text(self.reader.node({}), place)
        extra = node.get("additionalProperties")
        if not node.properties and isinstance(extra, dict) and depth < self.max_depth:
            keys = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz"), min_size=1, max_size=8)
            return st.dictionaries(keys, self.valid(extra, place, depth + 1), max_size=3)
        return st.fixed_dictionaries(required, optional=optional)


def _tagged(prop: str, tag: str, value: Any) -> Any:
    return {**value, prop: tag} if isinstance(value, dict) else value


def _seeded_format(fmt: str) -> Strategy:
    return st.integers(0, 2**32).map(partial(_formatted, fmt))


def _formatted(fmt: str, seed: int) -> str | None:
    return format_value(fmt, random.Random(seed))


def _integers(lim: Limits) -> Strategy:
    low, high = integer_span(lim)
    step = int(lim.multiple) if lim.multiple and float(lim.multiple).is_integer() else 1
    low = -_REALISTIC if low is None else low
    high = _REALISTIC if high is None else high
    if low > high:
        return st.nothing()
    return st.integers(-(-low // step), high // step).map(lambda k: k * step)


def _floats(lim: Limits) -> Strategy:
    if lim.multiple is not None:
        low, high = number_span(lim)
        step = lim.multiple
        first = -_REALISTIC if low is None else round(low / step)
        last = _REALISTIC if high is None else round(high / step)
        return st.integers(first, last).map(lambda k: round(k * step, 10))
    return st.floats(
        min_value=-_REALISTIC if lim.low is None else lim.low,
        max_value=_REALISTIC if lim.high is None else lim.high,
        exclude_min=lim.low_open and lim.low is not None,
        exclude_max=lim.high_open and lim.high is not None,
        allow_nan=False,
        allow_infinity=False,
        allow_subnormal=False,
    )


# Whole requests --------------------------------------------------------------------------

_PLACES: dict[str, Place] = {"path": "path", "query": "query", "header": "token", "cookie": "token"}


def request_strategy(plan: FuzzPlan) -> Strategy:
    """The draws of a fuzz plan: request parts, and for negative plans one broken part."""
    builder = StrategyBuilder(plan.factory, complete=plan.kind == "negative")
    parts = _parts(plan, builder)
    if plan.kind == "positive":
        return parts
    targets = plan.targets
    chosen = st.integers(0, len(targets) - 1).flatmap(
        lambda index: _target_strategy(targets[index]).map(partial(_pair, index))
    )
    return st.tuples(parts, chosen)


def _parts(plan: FuzzPlan, builder: StrategyBuilder) -> Strategy:
    required: dict[str, Strategy] = {}
    optional: dict[str, Strategy] = {}
    for param in generated_parameters(plan.operation):
        where: Place = "json" if param.content_type else _PLACES[param.location]
        strategy = builder.valid(param.schema or {"type": "string"}, where)
        if param.required:
            strategy = strategy.filter(not_empty)  # an empty list or text is no parameter
        (required if param.required or builder.complete else optional)[key_of(param)] = strategy
    params = st.fixed_dictionaries(required, optional=optional)
    media = plan.media
    if media is None:
        return st.fixed_dictionaries({"params": params, "body": st.just(UNSET)})
    if plan.layout is not None:  # rows with every column filled: an empty cell is ambiguous
        rows = StrategyBuilder(plan.factory, complete=True).valid(plan.layout.fuzz_rows, "csv")
        return st.fixed_dictionaries({"params": params, "body": rows})
    body = builder.valid(media.schema or {}, "json" if media.is_json else "form")
    return st.fixed_dictionaries({"params": params, "body": body})


def _target_strategy(target: Target) -> Strategy:
    """A target's invalid values: fixed variants, and out-of-range integers that shrink."""
    options = [_outside(bound, direction) for bound, direction in target.ranges]
    if target.variants:
        options.append(st.sampled_from(target.variants))
    return st.one_of(options)


def _outside(bound: float, direction: int) -> Strategy:
    first = first_outside(bound, direction)
    values = st.integers(max_value=first) if direction < 0 else st.integers(min_value=first)
    return values.map(partial(out_of_range, bound, direction))


def _pair(index: int, variant: Any) -> tuple[int, Any]:
    return index, variant
