"""Matchers a consumer writes in its expectations: ``like``, ``regex``, ``each_like``, …

A matcher holds an example (what the mock provider answers with, and what is written
into the pact) and a Pact v3 rule (what the provider's real answer must satisfy).
Matchers nest: ``each_like({"id": integer(1), "name": like("chair")})``.

`example_of` replaces every matcher in a value by its example; `body_rules` collects
the v3 ``matchingRules`` (``{"$.items": {"matchers": [...], "combine": "AND"}}``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from assay.errors import AssayError

__all__ = [
    "Matcher",
    "body_rules",
    "decimal",
    "each_like",
    "equal",
    "example_of",
    "include",
    "integer",
    "like",
    "number",
    "regex",
]

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True, slots=True)
class Matcher:
    """An example value with the Pact v3 rule the real value must satisfy."""

    example: Any
    rule: Mapping[str, Any]
    each: bool = False
    """True for `each_like`: `example` is one element, the value is a list of them."""
    minimum: int = 1
    extra: Mapping[str, Any] = field(default_factory=dict)


def like(example: Any) -> Matcher:
    """Any value of the example's JSON type (nested values too, unless matched otherwise)."""
    return Matcher(example, {"match": "type"})


def each_like(example: Any, *, min: int = 1, max: int | None = None) -> Matcher:
    """A list of at least `min` (at most `max`) items, each like `example`."""
    if min < 0 or (max is not None and max < min):
        raise AssayError(f"each_like needs 0 <= min <= max, got min={min}, max={max}")
    rule: dict[str, Any] = {"match": "type", "min": min}
    if max is not None:
        rule["max"] = max
    return Matcher(example, rule, each=True, minimum=min if min > 0 else 1)


def regex(example: str, pattern: str) -> Matcher:
    """A string fully matching `pattern`; `example` must match it too."""
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise AssayError(
            f"regex({example!r}, {pattern!r}): the pattern is invalid: {exc}"
        ) from None
    if not compiled.fullmatch(str(example)):
        raise AssayError(
            f"regex({example!r}, {pattern!r}): the example does not match the pattern",
            hint="Give an example the provider could really answer with.",
        )
    return Matcher(example, {"match": "regex", "regex": pattern})


def integer(example: int = 1) -> Matcher:
    """Any integer (not a decimal, not a boolean)."""
    if isinstance(example, bool) or not isinstance(example, int):
        raise AssayError(f"integer({example!r}): the example must be an int")
    return Matcher(example, {"match": "integer"})


def decimal(example: float = 1.5) -> Matcher:
    """Any number with a fractional part written (``9.5``, ``10.0``)."""
    if isinstance(example, bool) or not isinstance(example, float):
        raise AssayError(f"decimal({example!r}): the example must be a float")
    return Matcher(example, {"match": "decimal"})


def number(example: float = 1) -> Matcher:
    """Any number, integer or decimal."""
    if isinstance(example, bool) or not isinstance(example, int | float):
        raise AssayError(f"number({example!r}): the example must be an int or a float")
    return Matcher(example, {"match": "number"})


def include(substring: str, example: str | None = None) -> Matcher:
    """A string containing `substring`."""
    value = substring if example is None else example
    if substring not in value:
        raise AssayError(f"include({substring!r}, {example!r}): the example lacks the substring")
    return Matcher(value, {"match": "include", "value": substring})


def equal(example: Any) -> Matcher:
    """Exactly this value (stops a surrounding `like` from loosening it)."""
    return Matcher(example, {"match": "equality"})


def example_of(value: Any) -> Any:
    """`value` with every matcher replaced by its example (a list for `each_like`)."""
    if isinstance(value, Matcher):
        inner = example_of(value.example)
        return [inner] * value.minimum if value.each else inner
    if isinstance(value, Mapping):
        return {key: example_of(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [example_of(item) for item in value]
    return value


def child_path(path: str, key: str | int) -> str:
    """A JSONPath one level down: ``$.items``, ``$['a-b']``, ``$.items[*]``, ``$[0]``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    if key == "*":
        return f"{path}[*]"
    return f"{path}.{key}" if _IDENTIFIER.match(key) else f"{path}['{key}']"


def body_rules(value: Any, path: str = "$") -> dict[str, Any]:
    """The v3 ``matchingRules.body`` of a value with matchers in it."""
    return {
        where: {"matchers": [dict(rule)], "combine": "AND"} for where, rule in _walk(value, path)
    }


def _walk(value: Any, path: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    if isinstance(value, Matcher):
        yield path, value.rule
        yield from _walk(value.example, child_path(path, "*") if value.each else path)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _walk(item, child_path(path, str(key)))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _walk(item, child_path(path, index))
