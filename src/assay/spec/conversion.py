"""Turn a document's OpenAPI schemas into JSON Schema 2020-12, once per direction.

The result is a sparse copy of the document that holds every schema at the same
pointer as in the original, so a validator can ``$ref`` any schema pointer and an error's
location maps back to the document. What changes:

* ``nullable: true`` (3.0, and tolerated in 3.1) admits ``null``: ``type`` becomes a
  list, or the schema is wrapped as ``anyOf: [{type: null}, <schema>]`` (marked, so
  error locations can skip the wrapper);
* boolean ``exclusiveMinimum``/``exclusiveMaximum`` (3.0) become numeric ones;
* ``$ref`` siblings are dropped in 3.0 (the specification ignores them);
* ``format: int32``/``int64`` add a range keyword;
* a property that is ``readOnly`` is not required in a request, a ``writeOnly`` one not
  in a response;
* ``oneOf`` with a ``discriminator`` becomes ``anyOf`` (marked): the discriminator picks
  the branch, so an instance that also fits a sibling branch is not an error;
* ``example`` is dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal
from urllib.parse import quote, unquote

from assay.errors import AssayError
from assay.spec.formats import RANGE_KEYWORD
from assay.spec.model import resolve_pointer, unescape_pointer_token

__all__ = ["NULLABLE_MARK", "ONE_OF_MARK", "Direction", "SchemaConverter", "quote_pointer"]

Direction = Literal["request", "response"]
NULLABLE_MARK = "x-assay-nullable"
ONE_OF_MARK = "x-assay-one-of"

_SCHEMA_MAPS = frozenset(
    {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}
)
_SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
_SCHEMA_VALUES = frozenset(
    {
        "items",
        "not",
        "additionalProperties",
        "additionalItems",
        "contains",
        "propertyNames",
        "if",
        "then",
        "else",
        "unevaluatedItems",
        "unevaluatedProperties",
        "contentSchema",
    }
)
_COMPOSITE = frozenset({"allOf", "anyOf", "oneOf", "$ref", "not", "const", "if"})
_DROPPED = frozenset({"example", "nullable"})


def quote_pointer(pointer: str) -> str:
    """A ``#/…`` pointer as a URI fragment (``{id}`` becomes ``%7Bid%7D``)."""
    return "#" + quote(unquote(pointer.removeprefix("#")), safe="/~!$&'()*+,;=:@-._")


class SchemaConverter:
    """Converts the schemas of one document for one direction into `document`."""

    def __init__(self, raw: Mapping[str, Any], *, openapi30: bool, direction: Direction) -> None:
        self.raw = raw
        self.openapi30 = openapi30
        self.direction = direction
        self.document: dict[str, Any] = {}
        self._pending: list[str] = []
        self._done: set[tuple[str, ...]] = set()

    def convert_all(self) -> dict[str, Any]:
        """Convert every schema the document holds, and everything they reference."""
        for tokens in _schema_locations(self.raw, ()):
            self._place(tokens)
        self._drain()
        return self.document

    def ensure(self, pointer: str) -> bool:
        """Convert the schema at `pointer` if it is not yet; True when it had to be added."""
        tokens = _tokens(pointer)
        if self._covered(tokens):
            return False
        self._place(tokens)
        self._drain()
        return True

    def _drain(self) -> None:
        while self._pending:
            tokens = _tokens(self._pending.pop())
            if not self._covered(tokens):
                self._place(tokens)

    def _covered(self, tokens: tuple[str, ...]) -> bool:
        return any(tokens[:i] in self._done for i in range(len(tokens) + 1))

    def _place(self, tokens: tuple[str, ...]) -> None:
        try:
            node = resolve_pointer(self.raw, "#" + "".join("/" + _escape(t) for t in tokens))
        except AssayError:
            return  # a broken reference: the loader reports those
        container = self.document
        for token in tokens[:-1]:
            child = container.get(token)
            if not isinstance(child, dict):
                child = container[token] = {}
            container = child
        converted = self.convert(node)
        if tokens:
            container[tokens[-1]] = converted
        elif isinstance(converted, dict):
            self.document.update(converted)
        self._done.add(tokens)

    def convert(self, node: Any) -> Any:
        """One schema (and everything inside it) as JSON Schema 2020-12."""
        if not isinstance(node, dict):
            return node
        if self.openapi30 and isinstance(node.get("$ref"), str):
            result: dict[str, Any] = {"$ref": self._ref(node["$ref"])}
        else:
            result = {k: self._keyword(k, v) for k, v in node.items() if k not in _DROPPED}
            _exclusive_bounds(result)
            if result.get("format") in ("int32", "int64"):
                result[RANGE_KEYWORD] = result["format"]
            self._relax_required(result)
            _relax_discriminator(result)
        if node.get("nullable") is True:
            return _nullable(result)
        return result

    def _keyword(self, key: str, value: Any) -> Any:
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            return {name: self.convert(sub) for name, sub in value.items()}
        if key in _SCHEMA_LISTS and isinstance(value, list):
            return [self.convert(sub) for sub in value]
        if key in _SCHEMA_VALUES:
            if isinstance(value, list):
                return [self.convert(sub) for sub in value]
            return self.convert(value)
        if key == "$ref" and isinstance(value, str):
            return self._ref(value)
        return value

    def _ref(self, ref: str) -> str:
        if ref.startswith("#"):
            self._pending.append(ref)
            return quote_pointer(ref)
        return ref

    def _relax_required(self, result: dict[str, Any]) -> None:
        required = result.get("required")
        properties = result.get("properties")
        if not isinstance(required, list) or not isinstance(properties, dict):
            return
        flag = "readOnly" if self.direction == "request" else "writeOnly"
        kept = [n for n in required if not _has_flag(self.raw, properties.get(n), flag)]
        if len(kept) != len(required):
            result["required"] = kept


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _tokens(pointer: str) -> tuple[str, ...]:
    path = unquote(pointer.removeprefix("#")).strip("/")
    return tuple(unescape_pointer_token(t) for t in path.split("/")) if path else ()


def _exclusive_bounds(result: dict[str, Any]) -> None:
    for exclusive, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        value = result.get(exclusive)
        if value is True and bound in result:
            result[exclusive] = result.pop(bound)
        elif isinstance(value, bool):
            del result[exclusive]


def _relax_discriminator(result: dict[str, Any]) -> None:
    if (
        "discriminator" in result
        and isinstance(result.get("oneOf"), list)
        and "anyOf" not in result
    ):
        result["anyOf"] = result.pop("oneOf")
        result[ONE_OF_MARK] = True


def _nullable(result: dict[str, Any]) -> dict[str, Any]:
    kind = result.get("type")
    if not any(k in result for k in _COMPOSITE):
        if isinstance(kind, str):
            result["type"] = [kind, "null"]
        elif isinstance(kind, list) and "null" not in kind:
            result["type"] = [*kind, "null"]
        enum = result.get("enum")
        if isinstance(enum, list) and None not in enum:
            result["enum"] = [*enum, None]
        return result
    return {"anyOf": [{"type": "null"}, result], NULLABLE_MARK: True}


def _has_flag(raw: Mapping[str, Any], schema: Any, flag: str) -> bool:
    """True when a property schema (following references and allOf) sets `flag`."""
    seen: set[str] = set()
    while isinstance(schema, dict):
        if schema.get(flag) is True:
            return True
        members = schema.get("allOf")
        if isinstance(members, list) and any(_has_flag(raw, m, flag) for m in members):
            return True
        ref = schema.get("$ref")
        if not isinstance(ref, str) or ref in seen or not ref.startswith("#"):
            return False
        seen.add(ref)
        try:
            schema = resolve_pointer(raw, ref)
        except AssayError:
            return False
    return False


_NAME_MAPS = frozenset(
    {
        "paths",
        "webhooks",
        "responses",
        "parameters",
        "requestBodies",
        "headers",
        "callbacks",
        "pathItems",
        "content",
        "encoding",
    }
)
_SKIPPED = frozenset({"example", "examples", "links", "securitySchemes", "servers", "default"})


def _schema_locations(node: Any, tokens: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The paths of every schema root in an OpenAPI document."""
    found: list[tuple[str, ...]] = []
    if tokens == ("components",) and isinstance(node, dict):
        schemas = node.get("schemas")
        if isinstance(schemas, dict):
            found.extend((*tokens, "schemas", name) for name in schemas)
    if isinstance(node, list):
        for index, item in enumerate(node):
            found.extend(_schema_locations(item, (*tokens, str(index))))
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "schema" and tokens and tokens[-1] not in _NAME_MAPS:
                found.append((*tokens, key))
            elif key == "schemas" and tokens == ("components",):
                continue
            elif isinstance(value, dict | list):
                if key in _SKIPPED and (not tokens or tokens[-1] not in _NAME_MAPS):
                    continue
                found.extend(_schema_locations(value, (*tokens, key)))
    return found
