"""Overrides: ``address__city="Oslo"`` made nested, layers merged, field names checked.

A build merges layers, lowest first: the builder's fields, each chosen trait, the
call's overrides. Every layer is first expanded (``a__b=1`` → ``{"a": {"b": 1}}``);
a dict merges into the dict beneath it (and into the generated value of an object
with declared fields, while a free-form map is replaced by it), and a dict over a
nested builder becomes that builder's overrides. Names are checked against the schema
before anything is built, so a typo is an error naming the field and the known ones,
not a silently ignored key.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assay.errors import AssayError
from assay.generation.checker import Problem
from assay.generation.walk import Node, SchemaReader

__all__ = ["Nested", "expand", "merge", "object_schema", "refused", "unknown_fields"]


@dataclass(frozen=True, slots=True)
class Nested:
    """A nested builder with the overrides that reached it from above."""

    builder: Any
    overrides: Mapping[str, Any]


def expand(flat: Mapping[str, Any]) -> dict[str, Any]:
    """``{"a__b": 1, "c": 2}`` → ``{"a": {"b": 1}, "c": 2}`` (dicts given as values merge)."""
    result: dict[str, Any] = {}
    for key, value in flat.items():
        head, _, rest = key.partition("__")
        layer = {head: expand({rest: value}) if rest else _expanded(value)}
        result = merge(result, layer)
    return result


def _expanded(value: Any) -> Any:
    if isinstance(value, dict) and any("__" in str(k) for k in value):
        return expand(value)
    return value


def merge(lower: Mapping[str, Any], upper: Mapping[str, Any]) -> dict[str, Any]:
    """`upper` over `lower`: dicts merge, a dict over a builder becomes its overrides."""
    result = dict(lower)
    for key, value in upper.items():
        below = result.get(key)
        if isinstance(value, dict) and isinstance(below, dict):
            result[key] = merge(below, value)
        elif isinstance(value, dict) and isinstance(below, Nested):
            result[key] = Nested(below.builder, merge(below.overrides, value))
        elif isinstance(value, dict) and _is_builder(below):
            result[key] = Nested(below, value)
        else:
            result[key] = value
    return result


def _is_builder(value: Any) -> bool:
    from assay.data.builders import Builder

    return isinstance(value, Builder)


def object_schema(reader: SchemaReader, schema: Any) -> Any:
    """`schema`, or its object branch when it is ``X | None`` (``anyOf``/``oneOf``)."""
    node = reader.node(schema)
    if node.properties or "object" in node.types or not node.branches:
        return schema
    for branch in node.branches:
        inner = reader.node(branch)
        if inner.properties or "object" in inner.types:
            return branch
    return schema


def unknown_fields(reader: SchemaReader, schema: Any, plan: Mapping[str, Any], where: str) -> None:
    """Raise `AssayError` for a key of `plan` the object schema does not declare."""
    node = reader.node(object_schema(reader, schema))
    known = node.properties
    for key, value in plan.items():
        if key in known:
            if isinstance(value, dict):
                unknown_fields(reader, known[key], value, f"{where}{key}.")
            continue
        if _open(node):
            continue
        close = difflib.get_close_matches(key, list(known), n=3)
        hint = f"Did you mean {', '.join(map(repr, close))}? " if close else ""
        raise AssayError(
            f"unknown field '{where}{key}': the schema does not declare it",
            hint=f"{hint}Known fields: {', '.join(known) or 'none'}.",
        )


def _open(node: Node) -> bool:
    """True when the schema explicitly admits undeclared properties."""
    extra = node.get("additionalProperties")
    return bool(node.get("patternProperties")) or extra is True or isinstance(extra, dict)


def refused(
    what: str, value: Any, problems: list[Problem], origins: Mapping[str, str]
) -> AssayError:
    """The error for built data that breaks its schema, naming the field and constraint."""
    problem = min(problems, key=lambda p: len(p.path) == 0)
    field = ".".join(str(p) for p in problem.path) or "(the object)"
    origin = origins.get(str(problem.path[0]) if problem.path else "", "the generated data")
    bad = _at(value, problem.path)
    constraint = f"`{problem.keyword}`" if problem.keyword else "the schema"
    return AssayError(
        f"{what}: field {field} = {_short(bad)} (from {origin}) breaks {constraint}: "
        f"{problem.message}",
        hint=f"Change the value of {field} so that it satisfies `{problem.keyword}`, or "
        "drop the override to let the builder choose a valid one.",
    )


def _at(value: Any, path: tuple[str | int, ...]) -> Any:
    for step in path:
        try:
            value = value[step]
        except (KeyError, IndexError, TypeError):
            return value
    return value


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:79] + "…"
