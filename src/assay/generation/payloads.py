"""Request bodies for the boundary phase: the fields to vary, and whole-body variants.

`fields` walks a valid body alongside its schema and yields every field with a pointer
(``lines/0/qty``), following ``oneOf``/``anyOf`` into the branch the value matches.
`raw_variants` are the variants of the body as bytes: malformed JSON, invalid UTF-8,
and the JSON sent under a Content-Type the operation does not declare. A lone surrogate
is never sent, neither as a JSON escape (``"\ud800"``) nor as raw bytes (Python's JSON
decoder lets both through): pydantic refuses it, and FastAPI's own validation-error
handler then fails with a 500 while echoing it, so it would blame every FastAPI service
for its framework.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from assay.generation.checker import SchemaChecker
from assay.generation.composition import Composer
from assay.generation.edges import Variant
from assay.generation.walk import Node, SchemaReader
from assay.spec.model import Operation

__all__ = ["Field", "RawVariant", "fields", "get_at", "raw_variants", "set_at"]

ONE_MIB = 1 << 20
_MAX_DEPTH = 6
_MAX_FIELDS = 120


@dataclass(frozen=True, slots=True)
class Field:
    """One value inside a body: where it is, its schema, and whether its parent requires it."""

    path: tuple[str | int, ...]
    schema: Any
    required: bool
    value: Any
    parent: Node | None


@dataclass(frozen=True, slots=True)
class RawVariant:
    """A whole body sent as bytes under a media type."""

    content: bytes
    media_type: str
    variant: Variant


class _Walker:
    def __init__(self, reader: SchemaReader, checker: SchemaChecker, composer: Composer) -> None:
        self.reader = reader
        self.checker = checker
        self.composer = composer
        self.count = 0

    def walk(self, field: Field, depth: int) -> Iterator[Field]:
        if self.count >= _MAX_FIELDS:
            return
        self.count += 1
        yield field
        if depth >= _MAX_DEPTH:
            return
        node = self.concrete(self.reader.node(field.schema), field.value)
        if isinstance(field.value, dict):
            yield from self._properties(node, field, depth)
        elif isinstance(field.value, list) and field.value:
            items = node.get("items")
            if isinstance(items, dict):
                child = Field((*field.path, 0), items, False, field.value[0], node)
                yield from self.walk(child, depth + 1)

    def _properties(self, node: Node, field: Field, depth: int) -> Iterator[Field]:
        for name, schema, required in self.reader.properties(node):
            if name in field.value and not self.reader.is_read_only(schema):
                child = Field((*field.path, name), schema, required, field.value[name], node)
                yield from self.walk(child, depth + 1)

    def concrete(self, node: Node, value: Any) -> Node:
        """The node of the branch `value` matches (the node itself when it has none)."""
        for index in range(len(node.branches)):
            combined = self.composer.combined(node, index)
            if self.checker.is_valid(combined, value):
                return self.concrete(self.reader.node(combined), value)
        return node


def fields(
    schema: Any, body: Any, reader: SchemaReader, checker: SchemaChecker, composer: Composer
) -> Iterator[Field]:
    """Every field of `body` (the body itself first), each with its schema."""
    walker = _Walker(reader, checker, composer)
    yield from walker.walk(Field((), schema, True, body, None), 0)


def concrete_node(
    schema: Any, value: Any, reader: SchemaReader, checker: SchemaChecker, composer: Composer
) -> Node:
    """The node a value was generated from (its ``oneOf``/``anyOf`` branch resolved)."""
    return _Walker(reader, checker, composer).concrete(reader.node(schema), value)


def get_at(body: Any, path: tuple[str | int, ...]) -> Any:
    for token in path:
        body = body[token]
    return body


def set_at(body: Any, path: tuple[str | int, ...], value: Any, *, remove: bool = False) -> Any:
    """A copy of `body` with the value at `path` replaced (or removed)."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(body, dict):
        copied: dict[str, Any] = dict(body)
        if not rest and remove:
            copied.pop(str(head), None)
        else:
            copied[str(head)] = set_at(body[str(head)], rest, value, remove=remove)
        return copied
    items = list(body)
    index = int(head)
    if not rest and remove:
        del items[index]
    else:
        items[index] = set_at(items[index], rest, value, remove=remove)
    return items


def raw_variants(
    operation: Operation, media_type: str, body: Any, root: Node, string_path: Any
) -> Iterator[RawVariant]:
    """Whole-body byte variants of a JSON body."""
    text = json.dumps(body, ensure_ascii=False)
    yield RawVariant(
        text.encode()[: max(1, len(text) // 2)] + b"}{]",
        media_type,
        Variant(None, "negative", "malformed JSON", 1),
    )
    yield RawVariant(
        _with_text(body, string_path, "bad \udcff\udcfe bytes").encode("utf-8", "surrogateescape"),
        media_type,
        Variant(None, "negative", "invalid UTF-8 bytes", 1),
    )
    yield from _wrong_content_type(operation, text, root)


def _wrong_content_type(operation: Operation, text: str, root: Node) -> Iterator[RawVariant]:
    body = operation.request_body
    structured = bool(root.types) and set(root.types) <= {"object", "array"}
    if body is None or not structured or root.nullable or body.media("text/plain") is not None:
        return
    label = "a JSON body sent as text/plain, which the operation does not accept"
    yield RawVariant(text.encode(), "text/plain", Variant(None, "negative", label, 1))


def _replace(body: Any, path: tuple[str | int, ...], text: str) -> Any:
    return set_at(body, path, text)


def _with_text(body: Any, path: tuple[str | int, ...] | None, text: str) -> str:
    """The body as JSON text with `text` (unencodable characters kept) at `path`."""
    if path is None:
        return json.dumps(text, ensure_ascii=False)
    return json.dumps(_replace(body, path, text), ensure_ascii=False)
