"""Concurrent claims on a limited stock: a race must not grant more than there is.

A creation whose body names an item the run created and asks for a quantity of it (a
reservation's ``lines[].sku`` and ``quantity``) is a claim on that item's stock. The
scenario reads the item (the one whose own id the body names), takes its available
amount from the read (the sum of the numeric fields named ``available``, else
``in_stock``, ``stock``, ``on_hand``, ``remaining`` or ``capacity``, nested ones
included), and sends `CLAIMS` claims at once (each with its own generated values and
idempotency key), each for just over a fifth of it: at most half of them fit. So the
claims that must be refused arrive while the others are still being granted, in the
thick of the burst, where a race between a check of the stock and its write is likeliest
to show. Every answer carries the group's facts; `assay.checks.invariants`'
``concurrent_claims_oversold`` fires when the granted claims add up to more than was
available.

Like the concurrent submission scenario, the claims are sent at the same moment
(`Engine.execute_together`), into an in-process app as over the network. Whether two
claims meet in the window between a service's check of the stock and its write is a
matter of timing, so one burst may miss a race: while a burst had a claim granted and
found nothing, the scenario reads what is left and sends another, bigger burst
(`MOST_CLAIMS` claims, again at most half of them fitting), up to `BURSTS` of them. A
burst with no grant (the claims are refused for another reason) or with a finding ends
it, and so does an empty stock. Runs once per resource (round 0).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assay.generation.duplicates import group_mode
from assay.generation.resources import Resource
from assay.generation.scenarios import id_fields
from assay.generation.steps import STEP_SETUP, Scenario, ScenarioContext, Stored

__all__ = [
    "BURSTS",
    "CLAIMS",
    "MOST_CLAIMS",
    "STEP_CLAIM",
    "available_amount",
    "claim_target",
    "oversell",
]

STEP_CLAIM = "concurrent_claim"
CLAIMS = 10
"""How many claims go at once in the first burst."""
MOST_CLAIMS = 40
"""How many go at once in each further burst: a busier app widens the window a race
needs."""
BURSTS = 8
"""How many bursts of claims, at most, on one item."""
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
    """Read the claimed item's stock, then claim it `CLAIMS` times at once; again, on
    what is left, while a burst was granted and found nothing (see the module)."""
    if round_ != 0 or resource.parent is not None:
        return
    s = Scenario(ctx, "oversell", resource.create, str(round_))
    probe = s.body_for(resource.create, "claim")
    target = claim_target(probe, s.known) if isinstance(probe, Mapping) else None
    item = _own_item(s.stored, target[1]) if target is not None else None
    if target is None or item is None:
        return
    for burst in range(BURSTS):
        available = _available(s, item)
        if available is None or available < 1 or s.ctx.expired:
            return
        if not _claim(s, resource, target, available, burst):
            return


def _available(s: Scenario, item: Stored) -> int | None:
    """The item's available amount as a read shows it now (None: not shown)."""
    read = s.send(s.case(item.read, STEP_SETUP, item.bound, identity=item.identity))
    shown = read.produced.response_body if read is not None and read.produced else None
    return available_amount(shown) if read is not None and read.ok else None


def _own_item(stored: list[Stored], value: Any) -> Stored | None:
    """The stored item whose own id (its path value) is `value`, newest first."""
    for item in reversed(stored):
        if value in item.bound.get("path", {}).values():
            return item
    return None


def _claim(
    s: Scenario, resource: Resource, target: tuple[str, Any, str], available: int, burst: int
) -> bool:
    """One burst of claims, at most half of which fit in `available`: whether another
    burst is worth sending (one was granted, and the burst found nothing)."""
    size = MOST_CLAIMS if burst else CLAIMS
    operation, share = resource.create, available // (size // 2) + 1
    facts = {
        "group": f"{operation.label}:claim:{burst}:{s.rng.getrandbits(32):08x}",
        "size": size,
        "mode": group_mode(s.ctx),
        "item": target[1],
        "item_field": target[0],
        "available": available,
        "each": share,
        "quantity_field": target[2],
        "id_fields": id_fields(resource),
        "burst": burst,
        "created": 201 if "201" in operation.responses else None,
    }
    cases = []
    others = [name for name in s.known if name != target[0]]
    for index in range(size):
        # Only the claimed item is shared: other references (the order a reservation is
        # for) are each claim's own, or the service would rightly answer every claim
        # with the one it already holds for that reference.
        body = s.body_for(operation, f"claim:{burst}:{index}", own=others)
        if not isinstance(body, Mapping):
            return False
        cases.append(s.case(operation, STEP_CLAIM, body=_asking(body, target, share), facts=facts))
    if any(case is None for case in cases) or s.ctx.expired:
        return False
    sent = s.ctx.execute_together([c for c in cases if c is not None])
    if any(e.findings for e in sent):
        return False
    return any(e.exchange is not None and 200 <= e.exchange.status < 300 for e in sent)


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
