"""Invariants across steps: what a refused request must not leave behind.

Judged on the steps of the stateful phase's scenarios, like `assay.checks.state`
(which imports this module, so its checks register with the state family).

* `refused_request_left_changes` — a creation the API refused (4xx) changed the items
  its body named: the refusal was reported, but what the request reserved, allocated
  or booked on the way was not undone (a saga without compensation).
* `refund_exceeds_capture` — a refund larger than the amount captured was accepted.
* `concurrent_claims_oversold` — claims sent at once on one item's stock were granted
  more than the item had available (a race double-books).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from assay.checks import _scenario as scenario
from assay.checks._readback import same_value
from assay.checks._scenario import SETTLE_SECONDS
from assay.checks.registry import check
from assay.errors import Severity
from assay.generation.amounts import STEP_REFUND_BEYOND_CAPTURE
from assay.generation.capacity import STEP_CLAIM
from assay.generation.steps import STEP_READ_AFTER_REFUSAL

if TYPE_CHECKING:
    from assay.checks.registry import CheckContext, Exchange

__all__ = [
    "changed_values",
    "concurrent_claims_oversold",
    "refund_exceeds_capture",
    "refused_request_left_changes",
]

_MOVING = frozenset(
    {"updated_at", "updatedat", "modified_at", "modifiedat", "version", "etag", "revision"}
)
_LIMIT = 6
_CLAIMS = "invariants.claim_groups"
_CLAIM_LOCK = threading.Lock()


def changed_values(before: Any, after: Any, path: str = "") -> dict[str, tuple[Any, Any]]:
    """Where `after` differs from `before`: JSON path → (before, after), bounded.

    Fields that move by themselves (``updated_at``, ``version``, ``etag``…, and any
    ``*_at`` timestamp) are ignored; values equal up to representation are equal.
    """
    found: dict[str, tuple[Any, Any]] = {}
    if isinstance(before, Mapping) and isinstance(after, Mapping):
        for key in sorted(set(before) | set(after), key=str):
            if _moving(str(key)):
                continue
            if key not in before or key not in after:
                found[f"{path}/{key}"] = (before.get(key), after.get(key))
            else:
                found.update(changed_values(before[key], after[key], f"{path}/{key}"))
    elif isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        for index, (old, new) in enumerate(zip(before, after, strict=True)):
            found.update(changed_values(old, new, f"{path}/{index}"))
    elif not same_value(before, after):
        found[path or "/"] = (before, after)
    return dict(list(found.items())[:_LIMIT])


def _moving(key: str) -> bool:
    name = key.lower().replace("-", "_")
    return name in _MOVING or name.endswith("_at") or key.endswith("At")


@check(family="state", phases=("stateful",), severity=Severity.HIGH)
def refused_request_left_changes(ctx: CheckContext, exchange: Exchange) -> None:
    """A creation the API refused (4xx) changed the items it named.

    Judged in the stateful phase's refusal scenario: a creation whose body names items
    the run created (an order's ``lines[].sku``) is sent with a value the schema
    documents as an alternative example (``payment_method``: ``tok_declined`` next to
    the default ``tok_visa``); each named item — by id, or one created with that
    value (the batch of the SKU) — is read just before and, when the creation is
    refused, again after. Fires when a read after the refusal differs from the one
    before (stock still reserved, a batch still allocated): the request failed, yet it
    left a trace — a distributed transaction without compensation. Fields that move
    by themselves (timestamps, versions, ETags) are ignored; the read is repeated once
    after a short wait, and only a difference that persists is reported.
    """
    facts = scenario.facts(exchange, STEP_READ_AFTER_REFUSAL)
    if facts is None or not 200 <= exchange.status < 300:
        return
    before = facts.get("before")
    if changed_values(before, scenario.json(exchange.response)) == {}:
        return
    second = scenario.confirmed(
        ctx, exchange, lambda r: bool(changed_values(before, scenario.json(r)))
    )
    if second is None:
        return
    changed = changed_values(before, scenario.json(second))
    shown = "; ".join(f"{k}: {v[0]!r} → {v[1]!r}" for k, v in changed.items())
    raise scenario.finding(
        ctx,
        exchange,
        f"the refused {facts.get('refused')} ({facts.get('refused_status')}) left "
        f"{facts.get('resource')} changed",
        check="refused_request_left_changes",
        detail=(
            f"{facts.get('refused')} with {facts.get('variant')} was answered "
            f"{facts.get('refused_status')}, yet {facts.get('resource')}, read before and "
            f"after it (and again {SETTLE_SECONDS}s later), changed: {shown}. Expected a "
            "refused request to leave no trace. Check that every step it took (a "
            "reservation, an allocation, a charge) is undone when a later step fails."
        ),
        facts=facts,
        signature=str(facts.get("resource")),
        changed={k: {"before": v[0], "after": v[1]} for k, v in changed.items()},
    )


@check(family="state", phases=("stateful",), severity=Severity.HIGH)
def refund_exceeds_capture(ctx: CheckContext, exchange: Exchange) -> None:
    """A refund of more than the captured amount was accepted (2xx).

    Judged in the stateful phase's refund-bound scenario, on items with a ``capture``
    action and a ``refunds`` creation below them (see `assay.generation.amounts`): the
    scenario creates the item, captures it, reads the captured amount from a field
    named ``captured…`` and asks for a refund one minor unit larger. Fires when that
    refund is answered 2xx: money that was never taken is paid back — the invariant
    *refunded ≤ captured* is not enforced. A 4xx (409, 422) is the correct answer.
    """
    facts = scenario.facts(exchange, STEP_REFUND_BEYOND_CAPTURE)
    if facts is None or not 200 <= exchange.status < 300:
        return
    raise scenario.finding(
        ctx,
        exchange,
        f"a refund of {facts.get('asked')} was accepted after a capture of {facts.get('bound')}",
        check="refund_exceeds_capture",
        detail=(
            f"{facts.get('resource')} read back {facts.get('bound_field')} = "
            f"{facts.get('bound')} after its capture; a refund of {facts.get('asked')} "
            f"(one unit more) was answered {exchange.status}. Expected a refusal (409 or "
            "422): refunds may not exceed what was captured. Check the refund's limit "
            "against the captured total, under the same lock as the refund's write."
        ),
        facts=facts,
        signature="beyond capture",
        captured=facts.get("bound"),
        refund=facts.get("asked"),
    )


@check(family="state", phases=("stateful",), severity=Severity.CRITICAL)
def concurrent_claims_oversold(ctx: CheckContext, exchange: Exchange) -> None:
    """Claims sent at once on one item's stock were granted more than it had.

    Judged in the stateful phase's oversell scenario (`assay.generation.capacity`): a
    creation that names an item the run created and a quantity of it (a reservation of
    a product) is sent many times at once — into an in-process app as over the network —
    each asking for so much of the available amount the item's read showed just before
    that at most half of them fit; in bursts while a burst has one granted. Fires when
    the distinct resources created (2xx answers with different ids; only 201 ones where
    the operation documents 201, since a 200 then hands back one that existed before)
    add up to more than was available — each counted for the quantity its answer shows
    for the item (a partial grant), else for what it asked: the check of the stock and
    the claim are not one atomic step, and a race oversells. Refusals (409) are correct.
    """
    facts = scenario.facts(exchange, STEP_CLAIM)
    if facts is None:
        return
    granted = _granted(facts, scenario.json(exchange.response))
    entry = (exchange.status, scenario.id_of(exchange.response, facts.get("id_fields")), granted)
    answers = _whole_group(ctx, facts, entry)
    if answers is None:
        return
    created = facts.get("created")
    taken = {
        i: amount
        for status, i, amount in answers
        if (status == created if created else 200 <= status < 300) and i is not None
    }
    ids = sorted(taken)
    each, available = int(facts.get("each") or 0), int(facts.get("available") or 0)
    if sum(taken.values()) <= available:
        return
    raise scenario.finding(
        ctx,
        exchange,
        f"{len(ids)} claims of {each} were granted on {available} available",
        check="concurrent_claims_oversold",
        detail=(
            f"{facts.get('size')} {exchange.case.label} requests sent at once "
            f"({facts.get('mode')}), each for {each} of {facts.get('item')!r} "
            f"({facts.get('quantity_field')}), which showed {available} available just "
            f"before: {len(ids)} were granted ({', '.join(ids)}), {sum(taken.values())} in all. "
            "Expected at most what was available, the rest refused. Check that the stock "
            "is checked and taken in one atomic step (a conditional update, a row lock)."
        ),
        facts=facts,
        signature="oversold",
        granted=ids,
    )


def _whole_group(ctx: CheckContext, facts: Mapping[str, Any], entry: Any) -> list[Any] | None:
    """Every answer of the group once the last one arrived (None before)."""
    with _CLAIM_LOCK:
        groups: dict[str, list[Any]] = ctx.memory.setdefault(_CLAIMS, {})
        arrived = groups.setdefault(str(facts.get("group")), [])
        arrived.append(entry)
        if len(arrived) < int(facts.get("size") or 0):
            return None
        return list(arrived)


def _granted(facts: Mapping[str, Any], body: Any) -> int:
    """How much of the item a claim's answer shows it got (else what it asked for)."""
    field, item, quantity = facts.get("item_field"), facts.get("item"), facts.get("quantity_field")
    objects = [body] if isinstance(body, Mapping) else []
    for value in body.values() if isinstance(body, Mapping) else ():
        if isinstance(value, list):
            objects.extend(v for v in value if isinstance(v, Mapping))
    for entry in objects:
        amount = entry.get(quantity)
        if entry.get(field) == item and isinstance(amount, int) and not isinstance(amount, bool):
            return amount
    return int(facts.get("each") or 0)
