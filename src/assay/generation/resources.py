"""Resources the stateful phase can create and then use, planned from producer → consumer pairs.

A `Resource` is a creating POST (``POST /orders``) with the operations on the item it
creates (``GET``/``PUT``/``PATCH``/``DELETE /orders/{order_id}``), the list operation on
its collection (``GET /orders``), other reads that follow from it, and its parent when
the collection is nested (``POST /orders/{order_id}/lines`` needs an order first).

Safety: state-changing consumers (PUT, PATCH, DELETE) are only planned on paths below
the producer's own collection, so they can only ever reach what the run created itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assay.generation.links import Binding, Expression, Pair, is_creation, path_names
from assay.spec.model import Operation, Spec

__all__ = [
    "Resource",
    "comparable_fields",
    "dependency_order",
    "documented_alternatives",
    "field_names",
    "follow_pairs",
    "json_media",
    "plan_resources",
    "referenced_pairs",
    "row_schemas",
    "with_documented_values",
]

_DESTRUCTIVE = frozenset({"put", "patch", "delete"})
# Fields a server moves on its own (a state machine, timestamps): never compared.
_VOLATILE = frozenset(
    {"status", "state", "updated_at", "updatedat", "modified_at", "version", "etag", "revision"}
)


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
    )


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


def json_media(operation: Operation) -> str | None:
    """The request media type to send: JSON first, else the first declared one."""
    body = operation.request_body
    if body is None or not body.content:
        return None
    for media in body.content.values():
        if media.is_json:
            return media.media_type
    return next(iter(body.content))


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
                found.update(_properties(spec, entry.schema))
    return found


# -- fields a read can be compared on ----------------------------------------------------------


def comparable_fields(spec: Spec, request: Operation, read: Operation) -> list[str]:
    """Top-level fields the request body sets and the read's 2xx body shows.

    Left out: read-only and write-only properties, and fields a server moves by itself
    (status, state, timestamps of change, versions).
    """
    media = json_media(request)
    if media is None or request.request_body is None:
        return []
    sent = _properties(spec, request.request_body.content[media].schema)
    shown: dict[str, Any] = {}
    for status, response in read.responses.items():
        if status.startswith("2"):
            for entry in response.content.values():
                shown.update(_properties(spec, entry.schema))
    names = [n for n in sent if n in shown and n.lower().replace("-", "_") not in _VOLATILE]
    return [n for n in names if not _one_sided(spec, sent[n]) and not _one_sided(spec, shown[n])]


def _one_sided(spec: Spec, schema: Any) -> bool:
    resolved = _resolve(spec, schema)
    return bool(resolved.get("readOnly") or resolved.get("writeOnly"))


def _properties(spec: Spec, schema: Any, depth: int = 0) -> dict[str, Any]:
    resolved = _resolve(spec, schema)
    found: dict[str, Any] = {}
    if depth > 5:
        return found
    for member in resolved.get("allOf", ()):
        found.update(_properties(spec, member, depth + 1))
    properties = resolved.get("properties")
    if isinstance(properties, Mapping):
        found.update(properties)
    return found


def _resolve(spec: Spec, schema: Any) -> Mapping[str, Any]:
    seen = 0
    while isinstance(schema, Mapping) and "$ref" in schema and seen < 20:
        reference = schema["$ref"]
        if not isinstance(reference, str) or not reference.startswith("#"):
            return {}
        try:
            schema = spec.schema_at(reference)
        except Exception:  # an unresolvable reference: nothing to compare on
            return {}
        seen += 1
    return schema if isinstance(schema, Mapping) else {}


def with_documented_values(
    spec: Spec, schema: Any, value: Any, depth: int = 0, *, keep: frozenset[str] = frozenset()
) -> Any:
    """`value` with each property the schema gives a scalar ``default`` set to it.

    A creation then uses what the API documents as the usual value (a test payment
    token, a known currency) where a random valid one is refused for business reasons.
    Examples are used only for codes: a string property with a ``pattern`` and an example
    that matches it (``currency``: ``^[A-Z]{3}$``, example ``EUR``) — a random string of
    the pattern is rarely a code the API knows. Other examples would make every creation
    alike and collide on unique fields; ids of items the run created replace them later.
    Properties named in `keep` (the item's own id) keep their value.
    """
    resolved = _resolve(spec, schema)
    if depth > 4:
        return value
    if isinstance(value, list):
        items = resolved.get("items")
        return [with_documented_values(spec, items, i, depth + 1, keep=keep) for i in value]
    if not isinstance(value, Mapping):
        return value
    properties = _properties(spec, resolved)
    result = dict(value)
    for name, item in value.items():
        documented = None if name in keep else _documented(spec, properties.get(name))
        result[name] = (
            documented
            if documented is not None
            else with_documented_values(spec, properties.get(name), item, depth + 1, keep=keep)
        )
    return result


def _documented(spec: Spec, schema: Any) -> Any:
    resolved = _resolve(spec, schema)
    default = resolved.get("default")
    if default is not None:
        return None if isinstance(default, Mapping | list) else default
    return _documented_code(resolved)


def _documented_code(schema: Mapping[str, Any]) -> str | None:
    """The first example of a pattern-constrained string that matches its pattern."""
    pattern = schema.get("pattern")
    if not isinstance(pattern, str) or schema.get("type", "string") != "string":
        return None
    examples = list(schema.get("examples") or ())
    if "example" in schema:
        examples.append(schema["example"])
    for example in examples:
        try:
            if isinstance(example, str) and re.search(pattern, example):
                return example
        except re.error:
            return None
    return None


def documented_alternatives(spec: Spec, schema: Any) -> list[tuple[str, Any]]:
    """Top-level properties with a scalar ``default`` and other documented examples.

    ``payment_method`` defaulting to ``tok_visa`` with the examples ``tok_visa`` and
    ``tok_declined``: the API documents ``tok_declined`` as a value worth trying, and
    (unlike a random one) as a value it understands. Each (property, example) once.
    """
    found: list[tuple[str, Any]] = []
    for name, prop in _properties(spec, schema).items():
        resolved = _resolve(spec, prop)
        default = resolved.get("default")
        if default is None or isinstance(default, Mapping | list):
            continue
        examples = list(resolved.get("examples") or ())
        if "example" in resolved:
            examples.append(resolved["example"])
        for example in examples:
            if example != default and not isinstance(example, Mapping | list):
                found.append((name, example))
    return found


def row_schemas(spec: Spec, schema: Any, columns: Sequence[str]) -> dict[str, Mapping[str, Any]]:
    """The property schemas of the rows `schema` holds: an object with every column, or
    an array of such objects at its top level (``{"rows": [{sku, quantity}]}``)."""
    resolved = _resolve(spec, schema)
    candidates = [resolved]
    for prop in _properties(spec, resolved).values():
        inner = _resolve(spec, prop)
        if inner.get("type") == "array":
            candidates.append(_resolve(spec, inner.get("items")))
    for candidate in candidates:
        properties = _properties(spec, candidate)
        if properties and all(column in properties for column in columns):
            return {column: _resolve(spec, properties[column]) for column in columns}
    return {}


def field_names(spec: Spec, operation: Operation) -> set[str]:
    """Every property name of `operation`'s request body, nested objects and arrays included."""
    media = json_media(operation)
    if media is None or operation.request_body is None:
        return set()
    found: set[str] = set()
    _collect(spec, operation.request_body.content[media].schema, found, 0)
    return found


def _collect(spec: Spec, schema: Any, found: set[str], depth: int) -> None:
    if depth > 4:
        return
    resolved = _resolve(spec, schema)
    for name, prop in _properties(spec, resolved).items():
        found.add(name)
        _collect(spec, prop, found, depth + 1)
    for key in ("items", "anyOf", "oneOf"):
        nested = resolved.get(key)
        for member in nested if isinstance(nested, list) else [nested] if nested else []:
            _collect(spec, member, found, depth + 1)


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
