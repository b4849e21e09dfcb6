"""Request and response bodies as the spec documents them, for the stateful phase.

Which media type a scenario sends (`json_media`), the properties a schema declares
(``$ref`` and ``allOf`` followed), the fields a read can be compared on, the values the
spec documents (defaults, codes, alternative examples), the row schema behind a CSV
body, and every property name a body may hold.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from assay.spec.model import Operation, Spec

__all__ = [
    "comparable_fields",
    "documented_alternatives",
    "field_names",
    "json_media",
    "properties_of",
    "row_schemas",
    "with_documented_values",
]

# Fields a server moves on its own (a state machine, timestamps): never compared.
_VOLATILE = frozenset(
    {"status", "state", "updated_at", "updatedat", "modified_at", "version", "etag", "revision"}
)


_CODE_LENGTH = 8
_UNBOUNDED = re.compile(r"(?<!\\)[*+]|\{\d*,\}")
_UPPER = re.compile(r"\{(?:\d*,)?(\d+)\}")


def json_media(operation: Operation) -> str | None:
    """The request media type to send: JSON first, else the first declared one."""
    body = operation.request_body
    if body is None or not body.content:
        return None
    for media in body.content.values():
        if media.is_json:
            return media.media_type
    return next(iter(body.content))


# -- fields a read can be compared on ----------------------------------------------------------


def comparable_fields(spec: Spec, request: Operation, read: Operation) -> list[str]:
    """Top-level fields the request body sets and the read's 2xx body shows.

    Left out: read-only and write-only properties, and fields a server moves by itself
    (status, state, timestamps of change, versions).
    """
    media = json_media(request)
    if media is None or request.request_body is None:
        return []
    sent = properties_of(spec, request.request_body.content[media].schema)
    shown: dict[str, Any] = {}
    for status, response in read.responses.items():
        if status.startswith("2"):
            for entry in response.content.values():
                shown.update(properties_of(spec, entry.schema))
    names = [n for n in sent if n in shown and n.lower().replace("-", "_") not in _VOLATILE]
    return [n for n in names if not _one_sided(spec, sent[n]) and not _one_sided(spec, shown[n])]


def _one_sided(spec: Spec, schema: Any) -> bool:
    resolved = _resolve(spec, schema)
    return bool(resolved.get("readOnly") or resolved.get("writeOnly"))


def properties_of(spec: Spec, schema: Any, depth: int = 0) -> dict[str, Any]:
    """The properties `schema` declares, its ``allOf`` members' included (``$ref`` followed)."""
    resolved = _resolve(spec, schema)
    found: dict[str, Any] = {}
    if depth > 5:
        return found
    for member in resolved.get("allOf", ()):
        found.update(properties_of(spec, member, depth + 1))
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
    properties = properties_of(spec, resolved)
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
    """The first example of a code-like string that matches its pattern.

    Code-like: a pattern without unbounded or long repetition (``*``, ``+``, ``{n,}``,
    ``{0,62}``) and an example of at most `_CODE_LENGTH` characters (``EUR``, ``DE``,
    ``en-GB``) — never an e-mail address or a name, where one value for every creation
    collides on unique keys.
    """
    pattern = schema.get("pattern")
    if not isinstance(pattern, str) or schema.get("type", "string") != "string":
        return None
    plain = pattern.replace("\\\\", "")  # an escaped backslash repeats nothing
    if _UNBOUNDED.search(plain) or any(int(n) > _CODE_LENGTH for n in _UPPER.findall(plain)):
        return None
    examples = list(schema.get("examples") or ())
    if "example" in schema:
        examples.append(schema["example"])
    for example in examples:
        try:
            if (
                isinstance(example, str)
                and len(example) <= _CODE_LENGTH
                and re.search(pattern, example)
            ):
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
    for name, prop in properties_of(spec, schema).items():
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
    for prop in properties_of(spec, resolved).values():
        inner = _resolve(spec, prop)
        if inner.get("type") == "array":
            candidates.append(_resolve(spec, inner.get("items")))
    for candidate in candidates:
        properties = properties_of(spec, candidate)
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
    for name, prop in properties_of(spec, resolved).items():
        found.add(name)
        _collect(spec, prop, found, depth + 1)
    for key in ("items", "anyOf", "oneOf"):
        nested = resolved.get(key)
        for member in nested if isinstance(nested, list) else [nested] if nested else []:
            _collect(spec, member, found, depth + 1)
