"""Integer and number ranges: the smallest and largest valid values, and picks within them."""

from __future__ import annotations

import math
import random

from assay.generation.walk import Limits

__all__ = ["integer_span", "number_span", "pick_integer", "pick_number", "step_of"]

_DEFAULT_SPAN = 1000
_CENTS = 100
_FAR = 10**9


def integer_span(lim: Limits) -> tuple[int | None, int | None]:
    """The smallest and largest valid integers (None: unbounded), multipleOf respected."""
    low = None if lim.low is None else _int_low(lim.low, lim.low_open)
    high = None if lim.high is None else _int_high(lim.high, lim.high_open)
    step = _integer_step(lim)
    if step > 1:
        low = None if low is None else math.ceil(low / step) * step
        high = None if high is None else math.floor(high / step) * step
    return low, high


def _int_low(bound: float, open_: bool) -> int:
    return math.floor(bound) + 1 if open_ else math.ceil(bound)


def _int_high(bound: float, open_: bool) -> int:
    return math.ceil(bound) - 1 if open_ else math.floor(bound)


def _integer_step(lim: Limits) -> int:
    if lim.multiple is not None and float(lim.multiple).is_integer():
        return int(lim.multiple)
    return 1


def step_of(lim: Limits, integer: bool) -> float:
    """The distance between neighbouring valid values (1 for plain integers, 0.01 for numbers)."""
    if lim.multiple is not None:
        return lim.multiple
    return 1 if integer else 1 / _CENTS


def pick_integer(lim: Limits, rng: random.Random, preferred: int | None = None) -> int | None:
    """A valid integer (the preferred one when it fits), or None when the range is empty."""
    low, high = integer_span(lim)
    if low is not None and high is not None and low > high:
        return None
    step = _integer_step(lim)
    if preferred is not None and _within(preferred, low, high) and preferred % step == 0:
        return preferred
    start, end = _window(low, high)
    first, last = math.ceil(start / step), math.floor(end / step)
    if first > last:
        return None
    return rng.randint(first, min(last, first + _DEFAULT_SPAN)) * step


def _window(low: float | None, high: float | None) -> tuple[float, float]:
    """A finite range to pick from: realistic positive values when nothing bounds it."""
    if low is not None and low < -_FAR and (high is None or high > _FAR):
        low, high = None, None  # only a format range (int32, int64): pick as if unbounded
    if low is not None:
        return low, low + _DEFAULT_SPAN if high is None else high
    if high is None:
        return 1, _DEFAULT_SPAN
    return (1 if high >= 1 else high - _DEFAULT_SPAN), high


def _within(value: float, low: float | None, high: float | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


def number_span(lim: Limits) -> tuple[float | None, float | None]:
    """The smallest and largest valid numbers on a 0.01 grid (or the multipleOf grid)."""
    step = step_of(lim, integer=False)
    low = None if lim.low is None else _grid_low(lim.low, lim.low_open, step)
    high = None if lim.high is None else _grid_high(lim.high, lim.high_open, step)
    return low, high


def _grid_low(bound: float, open_: bool, step: float) -> float:
    k = math.floor(bound / step) + 1 if open_ else math.ceil(bound / step)
    return _clean(k * step)


def _grid_high(bound: float, open_: bool, step: float) -> float:
    k = math.ceil(bound / step) - 1 if open_ else math.floor(bound / step)
    return _clean(k * step)


def _clean(value: float) -> float:
    return float(round(value, 10))


def pick_number(lim: Limits, rng: random.Random, preferred: float | None = None) -> float | None:
    """A valid number on the grid, or None when the range is empty."""
    low, high = number_span(lim)
    if low is not None and high is not None and low > high:
        return None
    if preferred is not None and _within(preferred, low, high) and lim.multiple is None:
        return preferred
    step = step_of(lim, integer=False)
    start, end = _window(low, high)
    first, last = math.ceil(start / step - 1e-9), math.floor(end / step + 1e-9)
    return _clean(rng.randint(first, max(first, min(last, first + _DEFAULT_SPAN * 100))) * step)
