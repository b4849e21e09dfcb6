"""A normalised view of a schema: references followed, ``allOf`` merged, types made explicit.

`SchemaReader.node` turns any schema of a document (3.0 or 3.1) into a `Node`: the
merged keywords, the JSON types it admits (from ``type``, a 3.1 type list, 3.0
``nullable`` or, when ``type`` is absent, the keywords present), and its ``oneOf`` /
``anyOf`` branches. Generators read nodes, never raw schemas, so every dialect quirk is
handled here once.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from assay.errors import AssayError
from assay.spec.model import Schema, Spec

__all__ = ["JSON_TYPES", "Limits", "Node", "SchemaReader", "limits"]

JSON_TYPES: tuple[str, ...] = ("object", "array", "string", "integer", "number", "boolean")

_LOWER_BOUNDS = ("minimum", "minLength", "minItems", "minProperties")
_UPPER_BOUNDS = ("maximum", "maxLength", "maxItems", "maxProperties")
_HINTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("object", ("properties", "additionalProperties", "required", "patternProperties")),
    ("array", ("items", "prefixItems", "minItems", "maxItems", "uniqueItems")),
    ("string", ("minLength", "maxLength", "pattern", "format")),
    ("number", ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")),
)


@dataclass(frozen=True, slots=True)
class Node:
    """One schema, normalised.

    `types` lists the non-null JSON types the schema admits (empty: any value);
    `nullable` says whether ``null`` is admitted; `branches` are the ``oneOf`` (when
    `exclusive`) or ``anyOf`` alternatives, each still a raw schema.
    """

    schema: Schema
    types: tuple[str, ...]
    nullable: bool
    branches: tuple[Schema, ...] = ()
    exclusive: bool = False
    discriminator: Mapping[str, Any] | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def get(self, keyword: str, default: Any = None) -> Any:
        return self.schema.get(keyword, default)

    @property
    def enum(self) -> list[Any] | None:
        """The admitted values when the schema lists them (``enum`` or ``const``)."""
        if "const" in self.schema:
            return [self.schema["const"]]
        values = self.schema.get("enum")
        return list(values) if isinstance(values, list) else None

    @property
    def properties(self) -> Mapping[str, Any]:
        props = self.schema.get("properties")
        return props if isinstance(props, dict) else {}

    @property
    def required(self) -> tuple[str, ...]:
        names = self.schema.get("required")
        return tuple(n for n in names if isinstance(n, str)) if isinstance(names, list) else ()

    def bound(self, keyword: str) -> Any:
        """A numeric bound (``minimum``, ``maxLength``…), or None when absent or malformed."""
        value = self.schema.get(keyword)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        return value


class SchemaReader:
    """Reads the schemas of one `Spec`; nodes are cached per schema object."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.openapi30 = not spec.is_openapi_31
        self._nodes: dict[int, tuple[Any, Node]] = {}

    def resolve(self, schema: Any) -> Any:
        """`schema` with ``$ref``s at its top followed (3.1 siblings of ``$ref`` kept)."""
        if not isinstance(schema, dict) or not isinstance(schema.get("$ref"), str):
            return schema
        siblings = {k: v for k, v in schema.items() if k != "$ref"}
        try:
            target = self.spec.resolve({"$ref": schema["$ref"]})
        except AssayError:
            return {}
        if siblings and not self.openapi30 and isinstance(target, dict):
            return {"allOf": [target], **siblings}
        return target

    def node(self, schema: Any) -> Node:
        """The normalised view of `schema` (``True``/``{}`` admit anything)."""
        cached = self._nodes.get(id(schema))
        if cached is not None and cached[0] is schema:
            return cached[1]
        built = self._build(schema, depth=0)
        self._nodes[id(schema)] = (schema, built)
        return built

    def _build(self, schema: Any, depth: int) -> Node:
        merged = self.merged(schema, depth)
        types, nullable = self._types(merged)
        branches, exclusive = _branches(merged)
        discriminator = merged.get("discriminator")
        return Node(
            schema=merged,
            types=types,
            nullable=nullable,
            branches=branches,
            exclusive=exclusive,
            discriminator=discriminator if isinstance(discriminator, dict) else None,
        )

    def merged(self, schema: Any, depth: int = 0) -> Schema:
        """`schema` resolved, with every ``allOf`` member folded in."""
        schema = self.resolve(schema)
        if schema is True or not isinstance(schema, dict):
            return {} if schema is not False else {"not": {}}
        members = schema.get("allOf")
        if not isinstance(members, list) or depth > 16:
            return schema
        result = {k: v for k, v in schema.items() if k != "allOf"}
        for member in members:
            _merge_into(result, self.merged(member, depth + 1))
        return result

    def _types(self, schema: Schema) -> tuple[tuple[str, ...], bool]:
        declared = schema.get("type")
        if isinstance(declared, str):
            names = [declared]
        elif isinstance(declared, list):
            names = [t for t in declared if isinstance(t, str)]
        else:
            names = list(_implied_types(schema))
        marked = self.openapi30 and schema.get("nullable") is True
        nullable = "null" in names or marked
        if not names and not _branches(schema)[0] and "not" not in schema:
            nullable = True  # no type and no alternatives: anything, null included
        enum = schema.get("enum")
        if isinstance(enum, list) and None not in enum and not marked:
            nullable = False
        kept = tuple(dict.fromkeys(t for t in names if t != "null"))
        if "number" in kept and "integer" not in kept:
            kept = (*kept, "integer")
        return kept, nullable

    def properties(self, node: Node) -> Iterator[tuple[str, Any, bool]]:
        """(name, schema, required) of each declared property, in declaration order."""
        required = set(node.required)
        for name, schema in node.properties.items():
            yield name, schema, name in required

    def is_read_only(self, schema: Any) -> bool:
        """True when a property schema (through ``$ref`` and ``allOf``) is ``readOnly``."""
        return self.node(schema).get("readOnly") is True

    def is_write_only(self, schema: Any) -> bool:
        return self.node(schema).get("writeOnly") is True


def _implied_types(schema: Schema) -> Iterator[str]:
    for kind, keywords in _HINTS:
        if any(k in schema for k in keywords):
            yield kind
    values = schema.get("enum")
    if "const" in schema:
        values = [schema["const"]]
    for value in values if isinstance(values, list) else ():
        yield _type_of(value)


def _type_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _branches(schema: Schema) -> tuple[tuple[Schema, ...], bool]:
    one_of = schema.get("oneOf")
    if isinstance(one_of, list) and one_of:
        return tuple(one_of), True
    any_of = schema.get("anyOf")
    if isinstance(any_of, list) and any_of:
        return tuple(any_of), False
    return (), False


def _merge_into(result: dict[str, Any], member: Schema) -> None:
    """Fold one ``allOf`` member into `result` (the tightest bound of each kind wins)."""
    for key, value in member.items():
        if key not in result:
            result[key] = value
        elif key == "properties" and isinstance(value, dict):
            result[key] = _merge_properties(result[key], value)
        elif key == "required" and isinstance(value, list):
            result[key] = list(dict.fromkeys([*result[key], *value]))
        elif key in _LOWER_BOUNDS:
            result[key] = max(result[key], value)
        elif key in _UPPER_BOUNDS:
            result[key] = min(result[key], value)
        elif key == "type":
            result[key] = _common_types(result[key], value)
        elif key == "enum" and isinstance(value, list):
            result[key] = [v for v in result[key] if v in value]


def _merge_properties(first: Any, second: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(first) if isinstance(first, dict) else {}
    for name, schema in second.items():
        merged[name] = {"allOf": [merged[name], schema]} if name in merged else schema
    return merged


def _common_types(first: Any, second: Any) -> Any:
    a = {first} if isinstance(first, str) else set(first or ())
    b = {second} if isinstance(second, str) else set(second or ())
    if "number" in a:
        a.add("integer")
    if "number" in b:
        b.add("integer")
    common = sorted(a & b)
    return common[0] if len(common) == 1 else common


@dataclass(frozen=True, slots=True)
class Limits:
    """The numeric range a schema admits; exclusive flags say whether a bound is open."""

    low: float | None
    high: float | None
    low_open: bool = False
    high_open: bool = False
    multiple: float | None = None
    format_low: bool = False
    """True when `low` comes only from ``format: int32``/``int64`` (an annotation)."""
    format_high: bool = False


_FORMAT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


_LIMITS: dict[int, tuple[Node, Limits]] = {}


def limits(node: Node) -> Limits:
    """The numeric bounds of `node`, with 3.0 boolean and 3.1 numeric exclusives folded in."""
    cached = _LIMITS.get(id(node))
    if cached is not None and cached[0] is node:
        return cached[1]
    if len(_LIMITS) > 65_536:
        _LIMITS.clear()
    found = _limits(node)
    _LIMITS[id(node)] = (node, found)
    return found


def _limits(node: Node) -> Limits:
    low, high = node.bound("minimum"), node.bound("maximum")
    low_open = high_open = False
    ex_low, ex_high = node.get("exclusiveMinimum"), node.get("exclusiveMaximum")
    if ex_low is True:
        low_open = low is not None
    elif _is_number(ex_low) and (low is None or ex_low >= low):
        low, low_open = ex_low, True
    if ex_high is True:
        high_open = high is not None
    elif _is_number(ex_high) and (high is None or ex_high <= high):
        high, high_open = ex_high, True
    format_low = format_high = False
    ranged = _FORMAT_RANGES.get(str(node.get("format")))
    if ranged is not None:
        format_low = low is None or low < ranged[0]
        format_high = high is None or high > ranged[1]
        low = ranged[0] if format_low else low
        high = ranged[1] if format_high else high
        low_open = low_open and not format_low
        high_open = high_open and not format_high
    multiple = node.bound("multipleOf")
    return Limits(
        low,
        high,
        low_open,
        high_open,
        multiple if multiple and multiple > 0 else None,
        format_low,
        format_high,
    )


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
