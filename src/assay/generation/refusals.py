"""The refusal scenario: a creation the API refuses leaves the items it names as they were.

A creation whose body names items the run created (an order's ``lines[].sku``) and
whose schema documents an alternative value for a property (``payment_method``
defaulting to ``tok_visa``, with ``tok_declined`` among its examples) is sent once with
that alternative. Before it, every stored item the body names — by id, or by a value
its own creation sent (the batch of that SKU) — is read; when the API refuses the
creation (4xx), each is read again (``read_after_refusal``). A refused request must
leave no trace: what it reserved, allocated or charged on the way must be undone
(`assay.checks.state`'s ``refused_request_left_changes`` compares the two reads).

Runs once per resource (round 0). An alternative the API accepts (2xx) is cleaned up
like any creation; nothing is judged then.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assay.generation.cases import UNSET
from assay.generation.links import path_names
from assay.generation.properties import documented_alternatives, json_media
from assay.generation.resources import Resource
from assay.generation.scenarios import cleanup, create
from assay.generation.steps import (
    STEP_READ_AFTER_REFUSAL,
    STEP_REFUSED,
    STEP_SETUP,
    Scenario,
    ScenarioContext,
    Stored,
)

__all__ = ["MAX_WATCHED", "refusal", "watched_items"]

MAX_WATCHED = 4
"""At most this many named items are read before and after a refused creation."""


def refusal(ctx: ScenarioContext, resource: Resource, round_: int) -> None:
    """Send each documented alternative of `resource`'s creation; judge what a refusal left."""
    media = json_media(resource.create)
    body_spec = resource.create.request_body
    if round_ != 0 or media is None or body_spec is None or resource.parent is not None:
        return
    s = Scenario(ctx, "refusal", resource.create, str(round_))
    own = path_names(resource.item)[-1:] if resource.item else []
    for name, value in documented_alternatives(ctx.spec, body_spec.content[media].schema):
        body = s.body_for(resource.create, f"{STEP_REFUSED}:{name}", own=own)
        if not isinstance(body, Mapping) or ctx.expired:
            return
        _try(s, resource, {**body, name: value}, f"{name}={value!r}")


def watched_items(stored: list[Stored], body: Any, known: Mapping[str, list[Any]]) -> list[Stored]:
    """The stored items `body` names through a known-id field, newest first (bounded)."""
    named = set(_known_values(body, known))
    if not named:
        return []
    found = [item for item in reversed(stored) if item.names & named]
    return found[:MAX_WATCHED]


def _known_values(value: Any, known: Mapping[str, list[Any]]) -> list[Any]:
    found: list[Any] = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            if key in known and item in known[key]:
                found.append(item)
            else:
                found.extend(_known_values(item, known))
    elif isinstance(value, list):
        for item in value:
            found.extend(_known_values(item, known))
    return found


def _try(s: Scenario, resource: Resource, body: dict[str, Any], variant: str) -> None:
    watched = watched_items(s.stored, body, s.known)
    before = [_read(s, item, STEP_SETUP) for item in watched]
    shown = [(item, seen) for item, seen in zip(watched, before, strict=True) if seen is not None]
    if not shown:
        return
    made = create(s, resource, step=STEP_REFUSED, body=body)
    if made is not None:
        cleanup(s, [made])
        return
    refused = _refusal_status(s)
    if refused is None:
        return
    for item, seen in shown:
        facts = {
            "refused": resource.create.label,
            "refused_status": refused,
            "variant": variant,
            "before": seen,
            "resource": item.read.path,
        }
        _read(s, item, STEP_READ_AFTER_REFUSAL, facts)


def _refusal_status(s: Scenario) -> int | None:
    """The status of the creation just sent when it was refused (4xx, not a rate limit)."""
    trail = s.last
    if trail is None or trail.exchange is None:
        return None
    status = trail.status
    return status if 400 <= status < 500 and status != 429 else None


def _read(s: Scenario, item: Stored, step: str, facts: Mapping[str, Any] | None = None) -> Any:
    case = s.case(item.read, step, item.bound, body=UNSET, identity=item.identity, facts=facts)
    sent = s.send(case)
    if sent is None or not sent.ok or sent.produced is None:
        return None
    return sent.produced.response_body
