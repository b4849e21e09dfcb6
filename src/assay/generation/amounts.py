"""The refund-bound scenario: a refund larger than what was captured must be refused.

Keyed on the vocabulary of payments, since no schema keyword says "this sum is bounded
by that field": a created item (a payment) with a ``capture`` action and a ``refunds``
creation below it (``POST …/{id}/capture``, ``POST …/{id}/refunds``), and a read that
shows the captured amount (a field named ``captured…``: an integer, or an object with
an integer ``amount``). The scenario creates the item, captures it (the action's body
without its optional amount: all of it), reads the captured amount, and asks for a
refund of one minor unit more (``refund_beyond_capture``). Any 2xx to that request is
`assay.checks.invariants`' ``refund_exceeds_capture``. Runs once per resource (round
0), only on items the scenario created, which it then deletes where it can.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from assay.generation.links import path_names
from assay.generation.resources import Resource
from assay.generation.scenarios import Created, cleanup, create
from assay.generation.steps import STEP_SETUP, Scenario, ScenarioContext, Step
from assay.spec.model import Operation

__all__ = ["STEP_REFUND_BEYOND_CAPTURE", "captured_amount", "refund_bound"]

STEP_REFUND_BEYOND_CAPTURE = "refund_beyond_capture"
_CAPTURE = frozenset({"capture", "captures", "settle"})
_REFUND = frozenset({"refund", "refunds"})


def refund_bound(ctx: ScenarioContext, resource: Resource, round_: int) -> None:
    """Create, capture, read, then refund one unit more than the read says was captured."""
    item = resource.item
    if round_ != 0 or resource.read is None or not item:
        return
    capture = _action(ctx.operations, item, _CAPTURE)
    refund = _action(ctx.operations, item, _REFUND)
    if capture is None or refund is None:
        return
    s = Scenario(ctx, "refund_bound", resource.create, str(round_))
    made = create(s, resource)
    if made is None or made.item is None:
        return
    try:
        _beyond(s, made, capture, refund)
    finally:
        cleanup(s, [made])


def _action(operations: Sequence[Operation], item: str, words: frozenset[str]) -> Operation | None:
    below = item.rstrip("/") + "/"
    for operation in operations:
        rest = operation.path[len(below) :] if operation.path.startswith(below) else ""
        if operation.method == "post" and rest.lower() in words:
            return operation
    return None


def _beyond(s: Scenario, made: Created, capture: Operation, refund: Operation) -> None:
    body = _partial_capture(s.body_for(capture, "capture"), made.body)
    captured = _send(s, made, capture, body, step=STEP_SETUP, facts={})
    if captured is None or not captured.ok or made.resource.read is None:
        return
    read = s.send(s.case(made.resource.read.consumer, STEP_SETUP, made.item))
    shown = read.produced.response_body if read is not None and read.produced else None
    found = captured_amount(shown)
    request = s.body_for(refund, "refund")
    if found is None or not isinstance(request, Mapping):
        return
    name, bound, template = found
    asked = _with_amount(request, bound + 1, template)
    if asked is None:
        return
    facts: dict[str, Any] = {"resource": made.resource.item, "bound_field": name, "bound": bound}
    facts["asked"] = bound + 1
    _send(s, made, refund, asked, step=STEP_REFUND_BEYOND_CAPTURE, facts=facts)


def _send(
    s: Scenario,
    made: Created,
    operation: Operation,
    body: Any,
    *,
    step: str,
    facts: Mapping[str, Any],
) -> Step | None:
    path = (made.item or {}).get("path", {})
    bound = {"path": {n: path[n] for n in path_names(operation.path) if n in path}}
    return s.send(s.case(operation, step, bound, body=body, identity=made.identity, facts=facts))


def _partial_capture(body: Any, created: Any) -> Any:
    """The capture's body asking for half the authorized amount (all of it when the item
    shows no amount): a refund limit checked against the authorization shows then."""
    if not isinstance(body, Mapping):
        return body
    authorized = _authorized(created)
    if authorized is not None and authorized[0] >= 2:
        half = _with_amount(body, authorized[0] // 2, authorized[1])
        if half is not None:
            return half
    return {k: v for k, v in body.items() if not _amount_key(k)}


def _authorized(body: Any) -> tuple[int, Any] | None:
    if not isinstance(body, Mapping):
        return None
    for name, value in body.items():
        lowered = str(name).lower()
        units = _units(value) if _amount_key(lowered) else None
        if units is not None:
            return units, value
    return None


def _amount_key(name: str) -> bool:
    return "amount" in name.lower()


def captured_amount(body: Any) -> tuple[str, int, Any] | None:
    """The captured field of an item's body: (name, minor units, its value as shown)."""
    if not isinstance(body, Mapping):
        return None
    for name, value in body.items():
        if "captur" not in str(name).lower():
            continue
        units = _units(value)
        if units is not None and units > 0:
            return str(name), units, value
    return None


def _units(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, Mapping):
        return _units(value.get("amount"))
    return None


def _with_amount(request: Mapping[str, Any], units: int, template: Any) -> dict[str, Any] | None:
    """`request` with its amount field set to `units`, in the shape of `template` (the
    item's own amount: an integer, or an object with ``amount`` and its currency)."""
    name = next((str(k) for k in request if _amount_key(str(k))), None)
    if name is None:
        return None
    if isinstance(template, Mapping):
        return {**request, name: {**template, "amount": units}}
    return {**request, name: units}
