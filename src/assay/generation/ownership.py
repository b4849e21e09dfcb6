"""Cross-user scenarios: what one identity created, read, changed and deleted by another.

Runs only with two or more identities, and only for items whose operations declare
security. Before anyone else touches an item, the scenario makes sure the API treats
items as *owned*, so a shared catalogue (any user may read any product) is never
mistaken for a leak. Ownership is proven one of two ways:

* an owner field the server fills (``owner_id``, ``user_id``, ``created_by``… — not one
  the request sent) is the same on two items the owner created and different on the
  other identity's item; or
* the collection's complete list, as the owner, includes the owner's item, and as the
  other identity, includes the other's item but not the owner's.

Then the other identity reads, modifies (its first PUT/PATCH, and its first bodiless
action such as ``POST …/cancel``) and deletes the owner's item (``cross_read``,
``cross_modify``, ``cross_delete``), and reads the items the owner's creation named
(an order's payment, when they are owned too); each must be refused. The other identity is a peer
of the owner (same kind of credential, same roles, neither admin-like), and only items
the scenario created are touched.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from assay.generation.cases import UNSET
from assay.generation.links import Pair
from assay.generation.listing import contains, is_complete, is_paged, list_items
from assay.generation.listing import page_size_parameter as _page_size
from assay.generation.resources import Resource
from assay.generation.scenarios import Created, cleanup, create, id_fields, item_arguments
from assay.generation.steps import (
    STEP_CROSS_DELETE,
    STEP_CROSS_MODIFY,
    STEP_CROSS_READ,
    STEP_SETUP,
    Scenario,
    ScenarioContext,
)
from assay.spec.model import Operation

__all__ = ["OWNER_FIELDS", "cross_user", "intruder_for"]

OWNER_FIELDS = (
    "owner",
    "owner_id",
    "ownerId",
    "user_id",
    "userId",
    "created_by",
    "createdBy",
    "author_id",
    "authorId",
    "account_id",
    "accountId",
    "tenant_id",
    "tenantId",
    "customer",
    "customer_id",
    "customerId",
    "user",
    "subject",
)
_ADMIN_ROLES = frozenset({"admin", "administrator", "superuser", "root", "staff", "owner"})


def intruder_for(ctx: ScenarioContext, owner: str | None) -> str | None:
    """A peer of `owner`: another identity of the same kind and roles, none admin-like.

    A service account or a staff member may rightly reach every user's items; only a
    peer's access proves a leak. None when no configured identity is a peer.
    """
    identities: Mapping[str, Any] = ctx.engine.client.identities
    mine = identities.get(owner) if owner is not None else None
    if mine is None or len(identities) < 2:
        return None
    for name, identity in identities.items():
        if name != owner and _peers(mine, identity):
            return str(name)
    return None


def _roles(identity: Any) -> set[str]:
    return {str(r).lower() for r in getattr(identity, "roles", ())}


def _peers(owner: Any, other: Any) -> bool:
    if _roles(owner) & _ADMIN_ROLES or _roles(other) & _ADMIN_ROLES:
        return False
    same_kind = getattr(owner, "kind", None) == getattr(other, "kind", None)
    return same_kind and _roles(owner) == _roles(other)


def _secured(operation: Operation) -> bool:
    return operation.requires_auth


def cross_user(ctx: ScenarioContext, resource: Resource, round_: int) -> None:
    """Create as the owner and as another identity; prove ownership; trespass; clean up."""
    targets = [p.consumer for p in (resource.read, resource.delete, *resource.updates) if p]
    s = Scenario(ctx, "cross_user", resource.create, str(round_))
    intruder = intruder_for(ctx, s.owner)
    if intruder is None or not any(_secured(op) for op in targets):
        return
    made: list[Created] = []
    try:
        mine = create(s, resource)
        if mine is None or mine.item is None:
            return
        made.append(mine)
        theirs = create(s, resource, step=STEP_SETUP, identity=intruder)
        if theirs is None or theirs.item is None:
            return
        made.append(theirs)
        for pair in resource.followers:
            _trespass_follower(s, pair, mine, theirs)
        proof = _proof(s, resource, mine, theirs, made)
        if proof is not None:
            _trespass(s, mine, intruder, proof)
    finally:
        cleanup(s, list(reversed(made)))


def _proof(
    s: Scenario, resource: Resource, mine: Created, theirs: Created, made: list[Created]
) -> str | None:
    field = _owner_field(mine, theirs)
    if field is not None:
        again = create(s, resource, step=STEP_SETUP)
        if again is not None:
            made.append(again)
            if _same(again.body, mine.body, field):
                return (
                    f"the server-set field {field!r} is {mine.body[field]!r} on the owner's "
                    f"items and {theirs.body[field]!r} on the other identity's"
                )
    return _listing_proof(s, resource, mine, theirs)


def _owner_field(mine: Created, theirs: Created) -> str | None:
    sent = mine.sent if isinstance(mine.sent, Mapping) else {}
    ours, other = mine.body, theirs.body
    if not isinstance(ours, Mapping) or not isinstance(other, Mapping):
        return None
    for name in OWNER_FIELDS:
        if name in sent or name not in ours or name not in other:
            continue
        if _scalar(ours[name]) and _scalar(other[name]) and ours[name] != other[name]:
            return name
    return None


def _scalar(value: Any) -> bool:
    return isinstance(value, str | int) and not isinstance(value, bool) and value != ""


def _same(first: Any, second: Any, field: str) -> bool:
    return (
        isinstance(first, Mapping)
        and isinstance(second, Mapping)
        and first.get(field) == second.get(field)
    )


def _listing_proof(s: Scenario, resource: Resource, mine: Created, theirs: Created) -> str | None:
    listing = resource.listing
    fields = id_fields(resource)
    if listing is None or not fields or resource.parent is not None:
        return None
    owner_view = _complete_list(s, listing, mine.identity)
    other_view = _complete_list(s, listing, theirs.identity)
    if owner_view is None or other_view is None:
        return None
    if not contains(owner_view, mine.item_id, fields):
        return None
    if contains(other_view, theirs.item_id, fields) and not contains(
        other_view, mine.item_id, fields
    ):
        return f"{listing.label} lists each identity's own items only"
    return None


def _complete_list(s: Scenario, listing: Operation, identity: str | None) -> Sequence[Any] | None:
    sized = _page_size(listing)
    query = {sized[0].name: sized[1]} if sized else {}
    step = s.send(s.case(listing, STEP_SETUP, {"query": query}, identity=identity))
    if step is None or not step.ok or step.produced is None:
        return None
    body = step.produced.response_body
    headers = step.produced.response_headers
    limit = sized[1] if sized else None
    if not is_complete(body, headers, paged=is_paged(listing), limit=limit):
        return None
    return list_items(body)


def _trespass_follower(s: Scenario, pair: Pair, mine: Created, theirs: Created) -> None:
    """Read, as the other identity, an item the owner's creation named (its payment).

    Judged only when the followed items are owned the way their creations are: each
    shows the same server-set owner field value as the item that named it, and the two
    identities' values differ (a shared catalogue item named by both is never read).
    """
    if not _secured(pair.consumer) or s.ctx.engine.identity_for(pair.consumer) != mine.identity:
        return
    ours, other = mine.arguments(pair), theirs.arguments(pair)
    if ours is None or other is None or ours == other:
        return
    seen = [
        _read_as(s, pair, bound, made.identity) for bound, made in ((ours, mine), (other, theirs))
    ]
    field = _inherited_owner(mine.body, seen[0], theirs.body, seen[1])
    if field is None:
        return
    facts = {
        "resource": pair.consumer.path,
        "id": next(iter(ours.get("path", {}).values()), None),
        "owner": mine.identity,
        "intruder": theirs.identity,
        "proof": (
            f"the server-set field {field!r} of the item {mine.resource.create.label} named "
            f"is {seen[0][field]!r}, as on the owner's creation, and {seen[1][field]!r} on "
            "the other identity's"
        ),
    }
    s.send(s.case(pair.consumer, STEP_CROSS_READ, ours, identity=theirs.identity, facts=facts))


def _read_as(
    s: Scenario, pair: Pair, bound: dict[str, dict[str, Any]], identity: str | None
) -> Any:
    step = s.send(s.case(pair.consumer, STEP_SETUP, bound, identity=identity))
    if step is None or not step.ok or step.produced is None:
        return None
    return step.produced.response_body


def _inherited_owner(mine: Any, ours: Any, theirs: Any, other: Any) -> str | None:
    """An owner field equal on each creation and the item it named, differing between them."""
    bodies = (mine, ours, theirs, other)
    if not all(isinstance(body, Mapping) for body in bodies):
        return None
    for name in OWNER_FIELDS:
        values = [body.get(name) for body in bodies]
        if not all(_scalar(v) for v in values):
            continue
        if values[0] == values[1] and values[2] == values[3] and values[0] != values[2]:
            return name
    return None


def _trespass(s: Scenario, mine: Created, intruder: str, proof: str) -> None:
    resource = mine.resource
    facts = {
        "resource": resource.item,
        "id": mine.item_id,
        "owner": mine.identity,
        "intruder": intruder,
        "proof": proof,
    }
    steps = [
        (resource.read, STEP_CROSS_READ),
        *((p, STEP_CROSS_MODIFY) for p in [*resource.updates[:1], *resource.actions[:1]]),
    ]
    for pair, name in [*steps, (resource.delete, STEP_CROSS_DELETE)]:
        if pair is None or not _secured(pair.consumer) or mine.deleted:
            continue
        body = s.body_for(pair.consumer, "cross") if name == STEP_CROSS_MODIFY else UNSET
        bound = item_arguments(pair, mine)
        if body is None or bound is None:
            continue
        case = s.case(pair.consumer, name, bound, body=body, identity=intruder, facts=facts)
        step = s.send(case)
        if name == STEP_CROSS_DELETE:
            mine.deleted = bool(step and step.ok)
