"""Strings that match a regular expression, for the ``pattern`` keyword.

`RegexSampler` walks the parse tree of Python's regular-expression parser and builds a
string from it: literals, classes and ranges (``[A-Z]``, ``\\d``, ``\\w``, negated sets),
``.``, quantifiers, groups and back-references, alternation and anchors. JSON Schema
patterns are unanchored, so a generated match always satisfies the pattern. What the
walk cannot build (conditionals, unusual classes) falls back to hypothesis'
``from_regex``, searched deterministically; look-arounds are skipped and the retries
find a string that happens to satisfy them. Every result is checked with ``re.search`` before use.
"""

from __future__ import annotations

import importlib
import random
import re
import string
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

__all__ = ["RegexSampler", "UnsupportedPattern", "compiled", "matches"]

_ALPHABET = string.ascii_letters + string.digits + "-_."
_PRINTABLE = string.ascii_letters + string.digits + " -_.,:;!?@#$%&*+=/()[]{}<>'\"~^|"
_CATEGORIES = {
    "CATEGORY_DIGIT": string.digits,
    "CATEGORY_NOT_DIGIT": string.ascii_letters + "-_ .",
    "CATEGORY_WORD": string.ascii_letters + string.digits + "_",
    "CATEGORY_NOT_WORD": " -.,:;!?@#",
    "CATEGORY_SPACE": " ",
    "CATEGORY_NOT_SPACE": string.ascii_letters + string.digits + "-_.",
}
_OPEN_REPEAT_SPREAD = 4


class UnsupportedPattern(Exception):
    """The pattern uses a construct the sampler cannot build a match for."""


@lru_cache(maxsize=512)
def _parse(pattern: str) -> Any:
    parser: Any = importlib.import_module("re._parser")
    try:
        return parser.parse(pattern, re.ASCII)
    except (re.error, OverflowError, RecursionError) as exc:
        raise UnsupportedPattern(str(exc)) from exc


@lru_cache(maxsize=512)
def compiled(pattern: str) -> re.Pattern[str] | None:
    """`pattern` compiled the way JSON Schema reads it (``\\d`` and ``\\w`` are ASCII)."""
    try:
        return re.compile(pattern, re.ASCII)
    except re.error:
        return None


def matches(pattern: str, value: str) -> bool:
    """True when `value` contains a match of `pattern` (JSON Schema semantics).

    Python's ``$`` also matches before a final newline; ECMA-262's does not, so a value
    ending in a newline must match without it too.
    """
    found = compiled(pattern)
    if found is None or found.search(value) is None:
        return False
    return not value.endswith("\n") or found.search(value[:-1] + "\x00") is not None


class _Walk:
    """One attempt at building a match: a random source and the groups seen so far."""

    def __init__(self, rng: random.Random, spread: int) -> None:
        self.rng = rng
        self.spread = spread
        self.groups: dict[int, str] = {}

    def sequence(self, items: Sequence[Any]) -> str:
        return "".join(self.item(str(op), av) for op, av in items)

    def item(self, op: str, av: Any) -> str:
        if op == "LITERAL":
            return chr(av)
        if op == "NOT_LITERAL":
            return self.rng.choice([c for c in _ALPHABET if ord(c) != av])
        if op == "ANY":
            return self.rng.choice(_ALPHABET)
        if op == "IN":
            return self.rng.choice(self.charset(av))
        if op == "BRANCH":
            return self.sequence(self.rng.choice(av[1]))
        if op in ("SUBPATTERN", "ATOMIC_GROUP"):
            return self.group(av)
        if op in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            return self.repeat(av)
        if op in ("AT", "ASSERT", "ASSERT_NOT"):
            return ""  # anchors and look-arounds build nothing; the result is checked anyway
        if op == "GROUPREF":
            return self.groups.get(av, "")
        raise UnsupportedPattern(f"cannot build a match for {op}")

    def group(self, av: Any) -> str:
        if not isinstance(av, tuple):
            return self.sequence(av)
        number, _, _, inner = av
        text = self.sequence(inner)
        if number is not None:
            self.groups[number] = text
        return text

    def repeat(self, av: Any) -> str:
        low, high, inner = av
        top = low + self.spread if high > 10_000 else min(high, low + self.spread)
        count = self.rng.randint(low, max(low, top))
        return "".join(self.sequence(inner) for _ in range(count))

    def charset(self, items: Sequence[Any]) -> list[str]:
        cached = _CHARSETS.get(id(items))
        if cached is not None and cached[0] is items:
            return cached[1]
        found = _charset(items)
        _CHARSETS[id(items)] = (items, found)
        return found


_CHARSETS: dict[int, tuple[Any, list[str]]] = {}


def _charset(items: Sequence[Any]) -> list[str]:
    """The characters a class (``[a-z\\d_]``, ``[^/]``) admits, sorted."""
    allowed: set[str] = set()
    negate = False
    for op, av in items:
        name = str(op)
        if name == "NEGATE":
            negate = True
        elif name == "LITERAL":
            allowed.add(chr(av))
        elif name == "RANGE":
            low, high = av
            allowed.update(chr(c) for c in range(low, min(high, low + 400) + 1))
        elif name == "CATEGORY":
            allowed.update(_CATEGORIES.get(str(av), ""))
        else:
            raise UnsupportedPattern(f"cannot build a character for {name}")
    if negate:
        allowed = {c for c in _PRINTABLE if c not in allowed}
    if not allowed:
        raise UnsupportedPattern("empty character class")
    return sorted(allowed)


class RegexSampler:
    """Builds strings matching a pattern within length bounds, deterministically per seed."""

    def __init__(self, attempts: int = 24) -> None:
        self.attempts = attempts

    def sample(
        self, pattern: str, rng: random.Random, min_length: int = 0, max_length: int | None = None
    ) -> str:
        """A string of ``min_length..max_length`` characters that matches `pattern`.

        Raises `UnsupportedPattern` when no such string was found.
        """
        if compiled(pattern) is None:
            raise UnsupportedPattern(f"Python cannot compile the pattern {pattern!r}")
        try:
            tree = _parse(pattern)
            for attempt in range(self.attempts):
                walk = _Walk(rng, 1 + attempt // 2 + (min_length if attempt > 8 else 0))
                text = walk.sequence(list(tree))
                if _fits(pattern, text, min_length, max_length):
                    return text
        except UnsupportedPattern:
            return _hypothesis_match(pattern, min_length, max_length)
        raise UnsupportedPattern(
            f"no string of {min_length}..{max_length} characters matching {pattern!r} was found"
        )


def _fits(pattern: str, text: str, min_length: int, max_length: int | None) -> bool:
    if len(text) < min_length or (max_length is not None and len(text) > max_length):
        return False
    return matches(pattern, text)


@lru_cache(maxsize=256)
def _hypothesis_match(pattern: str, min_length: int, max_length: int | None) -> str:
    """The simplest match hypothesis finds (deterministic: no randomness, no database)."""
    from hypothesis import HealthCheck, find, settings
    from hypothesis import strategies as st
    from hypothesis.errors import NoSuchExample, Unsatisfiable

    quiet = settings(
        database=None,
        derandomize=True,
        max_examples=100,
        suppress_health_check=list(HealthCheck),
        deadline=None,
    )
    try:
        return find(
            st.from_regex(compiled(pattern) or pattern),
            lambda text: _fits(pattern, text, min_length, max_length),
            settings=quiet,
        )
    except (NoSuchExample, Unsatisfiable, re.error) as exc:
        raise UnsupportedPattern(f"no string of the right length matches {pattern!r}") from exc
