"""The lifecycle scenario: create, read, follow, list, update and read, delete and use.

One created resource goes through every step the API offers for it, in order, so each
state check sees a step right after the one it depends on:

* ``read_after_create`` — the item the POST answered is readable and shows what was sent;
* ``follow`` — other reads the creation feeds (nested collections, linked resources);
* ``list_after_create`` — the collection's list (its largest page) includes the item;
* ``update`` then ``read_after_update`` — for each PUT/PATCH, the change is visible;
* ``delete`` then ``read_after_delete`` and ``delete_again`` — the item is gone, a
  second DELETE is answered (404 or 2xx), not crashed on.

Whatever the scenario created and did not delete is deleted at the end (``cleanup``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from assay.generation.cases import UNSET
from assay.generation.links import Expression, Pair, path_names, singular
from assay.generation.listing import is_paged, page_size_parameter
from assay.generation.properties import comparable_fields
from assay.generation.resources import Resource
from assay.generation.steps import (
    STEP_CLEANUP,
    STEP_CREATE,
    STEP_DELETE,
    STEP_DELETE_AGAIN,
    STEP_FOLLOW,
    STEP_LIST,
    STEP_READ_AFTER_CREATE,
    STEP_READ_AFTER_DELETE,
    STEP_READ_AFTER_UPDATE,
    STEP_SETUP,
    STEP_UPDATE,
    Scenario,
    ScenarioContext,
    Step,
    Stored,
)

__all__ = [
    "Created",
    "cleanup",
    "create",
    "id_fields",
    "id_name",
    "item_arguments",
    "lifecycle",
    "prerequisite",
]

_JUDGED_CREATE = frozenset({200, 201})


@dataclass(slots=True)
class Created:
    """A resource the scenario created: how to reach it and what it looked like."""

    resource: Resource
    step: Step
    sent: Any
    identity: str | None
    item: dict[str, dict[str, Any]] | None
    parents: list[Created] = field(default_factory=list)
    etag: str | None = None
    deleted: bool = False

    @property
    def body(self) -> Any:
        return self.step.produced.response_body if self.step.produced else None

    @property
    def item_id(self) -> Any:
        """The value of the item's own path parameter (the last one of the item path)."""
        if self.item is None or not self.resource.item:
            return None
        return self.item.get("path", {}).get(path_names(self.resource.item)[-1])

    def arguments(self, pair: Pair) -> dict[str, dict[str, Any]] | None:
        if self.step.produced is None or not pair.follows(self.step.status):
            return None
        return pair.arguments(self.step.produced)


def id_fields(resource: Resource) -> list[str]:
    """The body fields that may hold the created item's id, best first."""
    pair = resource.key_pair
    if pair is None or not resource.item:
        return ["id"]
    own = path_names(resource.item)[-1]
    names: list[str] = []
    for binding in pair.bindings:
        if binding.name != own:
            continue
        for source in binding.sources:
            text = source.text if isinstance(source, Expression) else None
            if isinstance(text, str) and text.startswith("$response.body#/"):
                names.append(text[len("$response.body#/") :])
    return names


def create(
    s: Scenario,
    resource: Resource,
    *,
    step: str = STEP_CREATE,
    identity: str | None = None,
    headers: Mapping[str, Any] | None = None,
    body: Any = None,
) -> Created | None:
    """POST a new resource (its parents first); None when it could not be created."""
    above = _parents(s, resource, identity)
    if above is None:
        return None
    parents, path = above
    own = path_names(resource.item)[-1:] if resource.item else []
    sent = s.body_for(resource.create, step, own=own) if body is None else body
    bound = {"path": path, "header": dict(headers or {})}
    case = s.case(resource.create, step, bound, body=sent, identity=identity)
    if sent is None or case is None:
        cleanup(s, parents)
        return None
    made = s.send(case)
    if made is None or not made.ok:
        cleanup(s, parents)
        return None
    created = Created(resource, made, sent, case.identity, None, parents)
    created.etag = made.exchange.response.headers.get("etag")
    key = resource.key_pair
    created.item = created.arguments(key) if key is not None else None
    if created.item_id is not None and resource.item:
        s.remember(id_name(resource), created.item_id)
        _set_up(s, created)
        _store(s, created)
    elif resource.produces is not None and isinstance(created.body, Mapping):
        s.remember(resource.produces, created.body.get(resource.produces, created.body.get("id")))
    return created


def prerequisite(ctx: ScenarioContext, resource: Resource, round_: int) -> None:
    """Create one item other bodies need (`Resource.produces`), in the first round only.

    Nothing reads or deletes it (no such operation was planned): it is reported among
    the run's leftovers.
    """
    if round_ != 0:
        return
    s = Scenario(ctx, "prerequisite", resource.create, str(round_))
    made = create(s, resource)
    if made is not None:
        cleanup(s, [made])


def _store(s: Scenario, created: Created) -> None:
    """Note a readable item and the values that name it (`stored_items`)."""
    pair = created.resource.read
    if pair is None or created.item is None:
        return
    sent = created.sent if isinstance(created.sent, Mapping) else {}
    names = {v for v in sent.values() if isinstance(v, str | int) and not isinstance(v, bool)}
    names.add(created.item_id)
    item = Stored(pair.consumer, created.item, created.identity, frozenset(names))
    s.stored.append(item)


def _parents(
    s: Scenario, resource: Resource, identity: str | None
) -> tuple[list[Created], dict[str, Any]] | None:
    """The parent created for a nested resource and the path values it gives (None: failed)."""
    if resource.parent is None:
        return [], {}
    parent = create(s, resource.parent, step=STEP_SETUP, identity=identity)
    if parent is None:
        return None
    values = (parent.item or {}).get("path", {})
    needed = path_names(resource.create.path)
    if any(name not in values for name in needed):
        cleanup(s, [parent])
        return None
    return [parent], {name: values[name] for name in needed}


def _set_up(s: Scenario, created: Created) -> None:
    """Send the resource's setup PUTs (stock, settings) for the item just created."""
    for operation in created.resource.setups:
        body = s.body_for(operation, STEP_SETUP)
        path = (created.item or {}).get("path", {})
        bound = {"path": {n: path[n] for n in path_names(operation.path) if n in path}}
        if body is not None:
            s.send(s.case(operation, STEP_SETUP, bound, body=body, identity=created.identity))


def id_name(resource: Resource) -> str:
    """The name other requests know the resource's id by (``sku``, ``order_id``)."""
    name = path_names(resource.item or "")[-1:] or ["id"]
    if name[0] != "id":
        return name[0]
    return f"{singular(resource.create.path.rstrip('/').rsplit('/', 1)[-1])}_id"


def lifecycle(ctx: ScenarioContext, resource: Resource, round_: int) -> bool:
    """Create one resource and take it through every step the API offers for it.

    Returns whether the creation succeeded (the other scenarios need it to).
    """
    s = Scenario(ctx, "lifecycle", resource.create, str(round_))
    created = create(s, resource)
    if created is None:
        return False
    try:
        if created.item is None:
            return True
        shown = _read_after_create(s, created)
        _follow(s, created)
        _list_after_create(s, created)
        for pair in created.resource.updates:
            shown = _update_then_read(s, created, pair, shown)
        _delete_then_use(s, created)
    finally:
        cleanup(s, [created])
    return True


def _facts(made: Created, /, **more: Any) -> dict[str, Any]:
    return {
        "resource": made.resource.item,
        "id": made.item_id,
        "id_fields": id_fields(made.resource),
        "owner": made.identity,
        **more,
    }


def _read_after_create(s: Scenario, created: Created) -> Any:
    pair = created.resource.read
    if pair is None:
        return created.body
    facts = _facts(
        created,
        create_status=created.step.status,
        sent=None if created.sent is UNSET else created.sent,
        created=created.body,
        fields=comparable_fields(s.ctx.spec, created.resource.create, pair.consumer),
        judged=created.step.status in _JUDGED_CREATE,
    )
    read = s.send(s.case(pair.consumer, STEP_READ_AFTER_CREATE, created.item, facts=facts))
    if read is None or not read.ok or read.produced is None:
        return created.body
    created.etag = read.exchange.response.headers.get("etag") or created.etag
    return read.produced.response_body


def _follow(s: Scenario, created: Created) -> None:
    for pair in created.resource.followers:
        if pair.origin == "referenced" and s.ctx.engine.identity_for(pair.consumer) != (
            created.identity
        ):
            continue  # another kind of caller reads it (a service's API key)
        bound = created.arguments(pair)
        if bound is not None:
            s.send(s.case(pair.consumer, STEP_FOLLOW, bound, facts=_facts(created)))


def _list_after_create(s: Scenario, created: Created) -> None:
    listing = created.resource.listing
    if listing is None or created.step.produced is None:
        return
    query: dict[str, Any] = {}
    sized = page_size_parameter(listing)
    if sized is not None:
        query[sized[0].name] = sized[1]
    path = {n: created.step.produced.path[n] for n in path_names(listing.path)}
    facts = _facts(
        created,
        limit=sized[1] if sized else None,
        paged=is_paged(listing),
        judged=created.step.status in _JUDGED_CREATE,
    )
    s.send(s.case(listing, STEP_LIST, {"path": path, "query": query}, facts=facts))


def item_arguments(pair: Pair, created: Created) -> dict[str, dict[str, Any]] | None:
    """The values `pair`'s consumer needs for `created`, with ``If-Match`` when it takes one."""
    bound = created.arguments(pair)
    if bound is None:
        return None
    for param in pair.consumer.parameters_in("header"):
        if param.name.lower() == "if-match" and created.etag:
            bound.setdefault("header", {})[param.name] = created.etag
    return bound


def _update_then_read(s: Scenario, created: Created, pair: Pair, before: Any) -> Any:
    bound = item_arguments(pair, created)
    method = pair.consumer.method
    body = s.body_for(pair.consumer, f"{STEP_UPDATE}:{method}")
    if bound is None or body is None:
        return before
    facts = _facts(created, before=before, sent=None if body is UNSET else body)
    updated = s.send(s.case(pair.consumer, STEP_UPDATE, bound, body=body, facts=facts))
    read_pair = created.resource.read
    if updated is None or not updated.ok or read_pair is None or updated.produced is None:
        return before
    created.etag = updated.exchange.response.headers.get("etag") or created.etag
    facts.update(
        method=method.upper(),
        update_status=updated.status,
        updated=updated.produced.response_body,
        fields=comparable_fields(s.ctx.spec, pair.consumer, read_pair.consumer),
    )
    read = s.send(s.case(read_pair.consumer, STEP_READ_AFTER_UPDATE, created.item, facts=facts))
    if read is None or not read.ok or read.produced is None:
        return before
    created.etag = read.exchange.response.headers.get("etag") or created.etag
    return read.produced.response_body


def _delete_then_use(s: Scenario, created: Created) -> None:
    pair = created.resource.delete
    bound = item_arguments(pair, created) if pair is not None else None
    if pair is None or bound is None:
        return
    deleted = s.send(s.case(pair.consumer, STEP_DELETE, bound, facts=_facts(created)))
    if deleted is None or not deleted.ok:
        return
    created.deleted = True
    facts = _facts(created, delete_status=deleted.status)
    read = created.resource.read
    if read is not None:
        s.send(s.case(read.consumer, STEP_READ_AFTER_DELETE, created.item, facts=facts))
    s.send(s.case(pair.consumer, STEP_DELETE_AGAIN, bound, facts=facts))


def cleanup(s: Scenario, created: list[Created]) -> None:
    """Delete what the scenario created and did not delete (children before parents).

    What could not be deleted is noted in `Scenario.leftovers` (the run reports it).
    """
    for item in created:
        pair = item.resource.delete
        reason = "no DELETE operation for it" if pair is None else "its id is unknown"
        if not item.deleted and pair is not None and item.item is not None:
            bound = item_arguments(pair, item)
            case = s.case(pair.consumer, STEP_CLEANUP, bound, identity=item.identity)
            step = s.send(case) if not s.ctx.expired else None
            item.deleted = bool(step and step.ok)
            reason = f"the DELETE answered {step.status}" if step else "the run ran out of time"
        if not item.deleted:
            s.leftovers.append(_leftover(item, reason))
        cleanup(s, item.parents)


def _leftover(item: Created, reason: str) -> dict[str, Any]:
    produced = item.step.produced
    return {
        "created_by": item.resource.create.label,
        "identity": item.identity,
        "location": produced.response_headers.get("location") if produced else None,
        "item": item.resource.item,
        "values": (item.item or {}).get("path"),
        "reason": reason,
    }
