"""One attempt at drawing a value: its random source, the text rule, and how it can fail."""

from __future__ import annotations

import random
from collections.abc import Callable

__all__ = ["Draw", "NoValue", "TextRule", "any_text"]

TextRule = Callable[[str], bool]
"""Which strings a location can carry (a header cannot carry non-ASCII text, say)."""


def any_text(_: str) -> bool:
    """The rule of a JSON body: every string is fine."""
    return True


class Draw:
    """One attempt: the random source, whether name hints apply, and the text rule."""

    __slots__ = ("hints", "rng", "rule")

    def __init__(self, rng: random.Random, hints: bool = True, rule: TextRule = any_text) -> None:
        self.rng = rng
        self.hints = hints
        self.rule = rule


class NoValue(Exception):
    """This attempt found no value (an empty range, a recursion too deep)."""
