"""Concurrent claims on a limited stock: a race must not grant more than there is.

A creation whose body names an item the run created and asks for a quantity of it (a
reservation's ``lines[].sku`` and ``quantity``) is a claim on that item's stock. The
scenario reads the item (the one whose own id the body names), takes its available
amount from the read (the sum of the numeric fields named ``available``, else
``in_stock``, ``stock``, ``on_hand``, ``remaining`` or ``capacity``, nested ones
included), and sends `CLAIMS` claims at once, each for all of it (each with its
own generated values and idempotency key): at most one can be granted. Every answer
carries the group's facts; `assay.checks.invariants`' ``concurrent_claims_oversold``
fires when the granted claims add up to more than was available.

Like the concurrent submission scenario, claims go through threads released together
on a URL, and back to back in-process. Runs once per resource (round 0).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assay.generation.duplicates import send_all, sending_mode
from assay.generation.resources import Resource
from assay.generation.scenarios import id_fields
from assay.generation.steps import STEP_SETUP, Scenario, ScenarioContext, Stored
from assay.spec.model import Operation

__all__ = ["CLAIMS", "STEP_CLAIM", "available_amount", "claim_target", "oversell"]

STEP_CLAIM = "concurrent_claim"
CLAIMS = 10
"""How many claims go at once."""
_QUANTITIES = ("qty", "quantity", "count", "units")
_AVAILABLE = ("available", "in_stock", "stock", "on_hand", "remaining", "capacity")


def claim_target(body: Any, known: Mapping[str, list[Any]]) -> tuple[str, Any, str] | None:
    """In `body`, an object naming a created item and a quantity: (id field, id, quantity
    field). The first such object, top level or in an array."""
    objects = [body] if isinstance(body, Mapping) else []
    if isinstance(body, Mapping):
        for value in body.values():
            if isinstance(value, list):
                objects.extend(v for v in value if isinstance(v, Mapping))
    for item in objects:
        ids = [(k, v) for k, v in item.items() if k in known and v in known[k]]
        amounts = [k for k in item if str(k).lower() in _QUANTITIES]
        if ids and amounts:
            return str(ids[0][0]), ids[0][1], amounts[0]
    return None


def available_amount(body: Any) -> int | None:
    """The available amount an item's read shows (see the module), or None."""
    for name in _AVAILABLE:
        found = _sum_named(body, name, 0)
        if found is not None:
            return found
    return None


def _sum_named(value: Any, name: str, depth: int) -> int | None:
    if depth > 3:
        return None
    found: list[int] = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            if str(key).lower() == name and isinstance(item, int) and not isinstance(item, bool):
                found.append(item)
            else:
                nested = _sum_named(item, name, depth + 1)
                found.extend([nested] if nested is not None else [])
    elif isinstance(value, list):
        for item in value:
            nested = _sum_named(item, name, depth + 1)
            found.extend([nested] if nested is not None else [])
    return sum(found) if found else None


def oversell(ctx: ScenarioContext, resource: Resource, round_: int) -> None:
    """Read the claimed item's stock, then claim all of it `CLAIMS` times at once."""
    if round_ != 0 or resource.parent is not None:
        return
    s = Scenario(ctx, "oversell", resource.create, str(round_))
    probe = s.body_for(resource.create, "claim")
    target = claim_target(probe, s.known) if isinstance(probe, Mapping) else None
    item = _own_item(s.stored, target[1]) if target is not None else None
    if target is None or item is None:
        return
    read = s.send(s.case(item.read, STEP_SETUP, item.bound, identity=item.identity))
    shown = read.produced.response_body if read is not None and read.produced else None
    available = available_amount(shown) if read is not None and read.ok else None
    if available is None or available < 1:
        return
    _claim(s, resource.create, target, available, id_fields(resource))


def _own_item(stored: list[Stored], value: Any) -> Stored | None:
    """The stored item whose own id (its path value) is `value`, newest first."""
    for item in reversed(stored):
        if value in item.bound.get("path", {}).values():
            return item
    return None


def _claim(
    s: Scenario, operation: Operation, target: tuple[str, Any, str], available: int, ids: list[str]
) -> None:
    share = available
    mode = sending_mode(s.ctx)
    facts = {
        "group": f"{operation.label}:claim:{s.rng.getrandbits(32):08x}",
        "size": CLAIMS,
        "mode": mode,
        "item": target[1],
        "item_field": target[0],
        "available": available,
        "each": share,
        "quantity_field": target[2],
        "id_fields": ids,
    }
    cases = []
    for index in range(CLAIMS):
        body = s.body_for(operation, f"claim:{index}")
        if not isinstance(body, Mapping):
            return
        cases.append(s.case(operation, STEP_CLAIM, body=_asking(body, target, share), facts=facts))
    if any(case is None for case in cases) or s.ctx.expired:
        return
    send_all(s.ctx, [c for c in cases if c is not None], mode)


def _asking(body: Mapping[str, Any], target: tuple[str, Any, str], share: int) -> dict[str, Any]:
    """`body` with the quantity of the object naming the item set to `share`."""
    name, value, quantity = target

    def claim(item: Any) -> Any:
        if isinstance(item, Mapping) and item.get(name) == value and quantity in item:
            return {**item, quantity: share}
        return item

    result = claim(dict(body))
    return {
        k: [claim(v) for v in item] if isinstance(item, list) else item
        for k, item in result.items()
    }
