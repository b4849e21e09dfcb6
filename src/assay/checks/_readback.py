"""What a read shows compared with what was written: the rules the state checks trust.

Servers legitimately reshape values on the way back (``12.5`` stored as the decimal
``"12.50"``, an ISO timestamp with ``Z`` read back with ``+00:00``, a set reordered,
defaults added to a nested object), so equality here is tolerant: a read *differs* only
when no such reshaping explains it. Both rules report a field only with positive
evidence of a defect, never from a missing field or a value the server may compute.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = ["differing_fields", "same_value", "stale_fields"]


def same_value(expected: Any, got: Any, *, loose: bool = False) -> bool:
    """True when `got` is `expected` up to representation; `loose` also ignores text case,
    surrounding spaces and rounding to cents."""
    if isinstance(expected, bool) or isinstance(got, bool):
        return expected is got
    if isinstance(expected, Mapping):
        return isinstance(got, Mapping) and all(
            key not in got or same_value(value, got[key], loose=loose)
            for key, value in expected.items()
        )
    if isinstance(expected, list):
        return isinstance(got, list) and _same_items(expected, got, loose)
    number = _numbers(expected, got)
    if number is not None:
        return _close(number[0], number[1], loose)
    if isinstance(expected, str) and isinstance(got, str):
        return _same_text(expected, got, loose)
    return bool(expected == got)


def _same_items(expected: Sequence[Any], got: Sequence[Any], loose: bool) -> bool:
    if len(expected) != len(got):
        return False
    if all(same_value(a, b, loose=loose) for a, b in zip(expected, got, strict=True)):
        return True
    return all(any(same_value(a, b, loose=loose) for b in got) for a in expected)


def _numbers(first: Any, second: Any) -> tuple[Decimal, Decimal] | None:
    if not (isinstance(first, int | float) or isinstance(second, int | float)):
        return None
    try:
        return Decimal(str(first)), Decimal(str(second))
    except (InvalidOperation, ValueError):
        return None


def _close(first: Decimal, second: Decimal, loose: bool) -> bool:
    if not (first.is_finite() and second.is_finite()):
        return first == second
    if math.isclose(float(first), float(second), rel_tol=1e-9, abs_tol=1e-12):
        return True
    return loose and round(first, 2) == round(second, 2)


def _same_text(expected: str, got: str, loose: bool) -> bool:
    if expected == got:
        return True
    if loose and expected.strip().casefold() == got.strip().casefold():
        return True
    when = _instant(expected), _instant(got)
    if when[0] is not None and when[1] is not None:
        return when[0] == when[1]
    try:
        return Decimal(expected) == Decimal(got)
    except (InvalidOperation, ValueError):
        return False


def _instant(text: str) -> datetime | None:
    if len(text) < 10 or not text[:4].isdigit():
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def differing_fields(
    sent: Any, created: Any, read: Any, fields: Sequence[str] | None
) -> dict[str, tuple[Any, Any]]:
    """Fields a read shows differently from what the creation accepted: name → (sent, read).

    A field counts only when it was sent (not null) and read back; when the creation's
    answer shows it, that answer must match what was sent (else the server reshaped it
    on purpose and it is skipped) and the read must differ from it. When the answer does
    not show it, the read must differ from what was sent even loosely.
    """
    if not isinstance(sent, Mapping) or not isinstance(read, Mapping):
        return {}
    echoed = created if isinstance(created, Mapping) else {}
    found: dict[str, tuple[Any, Any]] = {}
    for name in fields or ():
        if name not in sent or name not in read or sent[name] is None:
            continue
        if name in echoed:
            if same_value(sent[name], echoed[name]) and not same_value(echoed[name], read[name]):
                found[name] = (sent[name], read[name])
        elif not same_value(sent[name], read[name], loose=True):
            found[name] = (sent[name], read[name])
    return found


def stale_fields(
    before: Any, sent: Any, updated: Any, read: Any, fields: Sequence[str] | None
) -> dict[str, tuple[Any, Any]]:
    """Fields an update changed that a later read shows unchanged: name → (sent, read).

    A field counts only when the update sent a value different (even loosely) from the
    one read before, the update's own answer (when it shows the field) agrees with what
    was sent, and the read shows exactly the old value rather than the new one.
    """
    if not all(isinstance(v, Mapping) for v in (before, sent, read)):
        return {}
    answered = updated if isinstance(updated, Mapping) else {}
    found: dict[str, tuple[Any, Any]] = {}
    for name in fields or ():
        if name not in sent or name not in before or name not in read or sent[name] is None:
            continue
        new, old, now = sent[name], before[name], read[name]
        if same_value(new, old, loose=True):
            continue
        if name in answered and not same_value(new, answered[name]):
            continue
        if not same_value(now, new, loose=True) and same_value(old, now):
            found[name] = (new, now)
    return found
