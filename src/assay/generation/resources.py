"""Resources the stateful phase can create and then use, planned from producer → consumer pairs.

A `Resource` is a creating POST (``POST /orders``) with the operations on the item it
creates (``GET``/``PUT``/``PATCH``/``DELETE /orders/{order_id}``), the list operation on
its collection (``GET /orders``), other reads that follow from it, and its parent when
the collection is nested (``POST /orders/{order_id}/lines`` needs an order first).

Safety: state-changing consumers (PUT, PATCH, DELETE) are only planned on paths below
the producer's own collection, so they can only ever reach what the run created itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assay.generation.links import Binding, Expression, Pair, is_creation, path_names
from assay.generation.properties import properties_of
from assay.spec.model import Operation, Spec

__all__ = [
    "Resource",
    "dependency_order",
    "follow_pairs",
    "plan_resources",
    "referenced_pairs",
]

_DESTRUCTIVE = frozenset({"put", "patch", "delete"})
# Actions a user rightly takes on other users' items: never cross-user "modifications".
# fmt: off
_SOCIAL = frozenset({
    "like", "likes", "unlike", "follow", "unfollow", "vote", "votes", "upvote", "downvote",
    "star", "unstar", "subscribe", "unsubscribe", "report", "flag", "share", "bookmark",
    "favorite", "favourite", "react", "reactions", "join", "apply", "rsvp", "watch",
    "unwatch", "comments", "reviews", "messages",
})
# fmt: on


@dataclass(frozen=True, slots=True)
class Resource:
    """A creating POST and what the run may do with what it creates."""

    create: Operation
    item: str | None
    read: Pair | None
    updates: tuple[Pair, ...]
    delete: Pair | None
    listing: Operation | None
    followers: tuple[Pair, ...]
    parent: Resource | None = None
    setups: tuple[Operation, ...] = ()
    """PUTs below the item with free extra parameters (``/products/{sku}/stock/{warehouse}``):
    sent once after each creation so the item is usable (stocked, configured)."""
    actions: tuple[Pair, ...] = ()
    """POSTs on one fixed segment below the item that need no body (``/orders/{id}/cancel``):
    state changes of the item itself, sent only in the cross-user scenario."""
    produces: str | None = None
    """For a creation no read follows: the id name later bodies know it by (``customer_id``
    from ``POST /customers``), taken from its answer's field of that name, else ``id``."""

    @property
    def key_pair(self) -> Pair | None:
        """The pair whose bindings name the created item (read, else delete, else update)."""
        return self.read or self.delete or (self.updates[0] if self.updates else None)

    @property
    def label(self) -> str:
        return f"{self.create.label} → {self.item or '?'}"


def plan_resources(operations: Sequence[Operation], pairs: Sequence[Pair]) -> list[Resource]:
    """One `Resource` per creating POST that has at least one consumer (parents first)."""
    by_producer: dict[str, list[Pair]] = {}
    for pair in pairs:
        if is_creation(pair.producer):
            by_producer.setdefault(pair.producer.pointer, []).append(pair)
    producers = [op for op in operations if op.pointer in by_producer]
    producers.sort(key=lambda op: (op.path.count("/"), op.path))
    planned: list[Resource] = []
    for producer in producers:
        parent = _parent(producer, planned)
        if path_names(producer.path) and parent is None:
            continue  # would create under someone else's resource
        planned.append(_resource(producer, by_producer[producer.pointer], operations, parent))
    return planned


def _resource(
    producer: Operation,
    pairs: list[Pair],
    operations: Sequence[Operation],
    parent: Resource | None,
) -> Resource:
    below = producer.path.rstrip("/") + "/"
    own = [p for p in pairs if p.consumer.path.startswith(below)]
    reads = [p for p in own if p.consumer.method == "get"]
    anchors = reads or [p for p in own if p.consumer.method in _DESTRUCTIVE]
    item = min((p.consumer.path for p in anchors), key=len, default=None)
    on_item = [p for p in own if p.consumer.path == item]
    return Resource(
        create=producer,
        item=item,
        read=_first(on_item, "get"),
        updates=tuple(p for p in on_item if p.consumer.method in ("put", "patch")),
        delete=_first(on_item, "delete"),
        listing=_listing(producer, operations),
        followers=tuple(p for p in pairs if p.consumer.method == "get" and p not in on_item),
        parent=parent,
        setups=_setups(item, operations),
        actions=tuple(p for p in own if item and _action(item, p.consumer)),
    )


def _action(item: str, operation: Operation) -> bool:
    """A bodiless POST on one fixed segment below the item, not one anyone may send on
    anyone's item (liking a post, following a profile)."""
    rest = operation.path[len(item) + 1 :] if operation.path.startswith(item + "/") else ""
    body = operation.request_body
    plain = bool(rest) and "/" not in rest and "{" not in rest
    social = rest.lower().replace("-", "_") in _SOCIAL
    return operation.method == "post" and plain and not social and not (body and body.required)


def _setups(item: str | None, operations: Sequence[Operation]) -> tuple[Operation, ...]:
    if not item:
        return ()
    below = item + "/"
    return tuple(
        op
        for op in operations
        if op.method == "put"
        and op.path.startswith(below)
        and "{" in op.path[len(below) :]
        and op.request_body is not None
    )


def _first(pairs: list[Pair], method: str) -> Pair | None:
    return next((p for p in pairs if p.consumer.method == method), None)


def _listing(producer: Operation, operations: Sequence[Operation]) -> Operation | None:
    return next((op for op in operations if op.method == "get" and op.path == producer.path), None)


def _parent(producer: Operation, planned: list[Resource]) -> Resource | None:
    needed = set(path_names(producer.path))
    for resource in reversed(planned):
        item = resource.item
        if item and producer.path.startswith(item + "/") and needed <= set(path_names(item)):
            return resource
    return None


def follow_pairs(pairs: Sequence[Pair]) -> list[Pair]:
    """Declared pairs between two reads (GET → GET): safe to follow with any values."""
    return [p for p in pairs if p.producer.method == "get" and p.consumer.method == "get"]


def referenced_pairs(
    spec: Spec, operations: Sequence[Operation], producers: Sequence[Operation]
) -> list[Pair]:
    """Pairs from a creating POST to reads of *other* items its answer names.

    ``POST /orders`` answering ``{"payment_id": "p1"}`` feeds ``GET /payments/{payment_id}``:
    the answer has a top-level property named exactly like the read's only path parameter,
    a name that says it is an id (``*_id``, ``*Id``; a bare ``id`` names the item itself).
    Of several such reads (``/v1/payments/{payment_id}``, ``/v2/…``), the ones sharing the
    longest path prefix with the producer. Only `producers` are considered.
    """
    reads = [op for op in operations if op.method == "get" and len(path_names(op.path)) == 1]
    pairs: list[Pair] = []
    for producer in producers:
        answered = _answered_fields(spec, producer)
        below = producer.path.rstrip("/") + "/"
        named: dict[str, list[Operation]] = {}
        for read in reads:
            name = path_names(read.path)[0]
            if name in answered and _names_an_id(name) and not read.path.startswith(below):
                named.setdefault(name, []).append(read)
        for name, candidates in named.items():
            source = (Expression(f"$response.body#/{name}"),)
            for read in _closest(producer, candidates):
                pairs.append(Pair(producer, read, (Binding("path", name, source),), "referenced"))
    return pairs


def _closest(producer: Operation, candidates: list[Operation]) -> list[Operation]:
    def shared(read: Operation) -> int:
        pairs = zip(producer.path.split("/"), read.path.split("/"), strict=False)
        return next((i for i, (a, b) in enumerate(pairs) if a != b), 0)

    best = max(shared(read) for read in candidates)
    return [read for read in candidates if shared(read) == best]


def _names_an_id(name: str) -> bool:
    return name.endswith(("_id", "Id")) and len(name) > 3


def _answered_fields(spec: Spec, operation: Operation) -> set[str]:
    found: set[str] = set()
    for status, response in operation.responses.items():
        if status.startswith("2"):
            for entry in response.content.values():
                found.update(properties_of(spec, entry.schema))
    return found


def dependency_order(
    resources: Sequence[Resource], needs: Mapping[int, set[int]]
) -> list[Resource]:
    """`resources` with each one after those whose ids its body needs.

    In a cycle, the resource missing the fewest others goes first; ties keep the order.
    """
    placed: list[int] = []
    waiting = list(range(len(resources)))
    while waiting:
        done = set(placed)
        chosen = min(waiting, key=lambda i: len(needs.get(i, set()) - done))
        placed.append(chosen)
        waiting.remove(chosen)
    return [resources[i] for i in placed]
