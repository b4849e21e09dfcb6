"""Find examples in a document that do not match their own schema.

Checked: ``example`` and ``examples`` of parameters, of JSON request and response
bodies, and the ``example`` (3.0) or ``examples`` list (3.1) of any schema. A body or
parameter example is checked in its direction (a request example may omit ``readOnly``
properties); a schema's own example passes when either direction accepts it. A
parameter example written in its serialized form (``"1,2,3"`` for an array) passes when
its decoding matches. Examples given only by ``externalValue`` are not fetched.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from assay.spec.conversion import Direction
from assay.spec.decoding import ValueDecoder
from assay.spec.model import MediaType, Operation, Parameter, Spec, escape_pointer_token
from assay.spec.validation import SpecValidator, Violation

__all__ = ["example_problems"]

_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_VALUES = ("items", "not", "additionalProperties", "contains", "if", "then", "else")

Found = tuple[str, str]


def _message(violation: Violation) -> str:
    where = f" at {violation.data_pointer}" if violation.data_pointer else ""
    return (
        f"the example does not match its schema: {violation.message}{where} (schema "
        f"{violation.schema_pointer}); fix the example or the schema"
    )


def _named(holder: Any, pointer: str) -> Iterator[tuple[str, Any]]:
    """(pointer, value) of a holder's ``example`` and each ``examples`` entry's value."""
    example = getattr(holder, "example", None)
    if example is not None:
        yield f"{pointer}/example", example
    examples: Mapping[str, Any] = getattr(holder, "examples", {})
    for name, entry in examples.items():
        if isinstance(entry, dict) and "value" in entry:
            yield f"{pointer}/examples/{escape_pointer_token(name)}", entry["value"]


class _Finder:
    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.validator = SpecValidator(spec)
        self.decoder = ValueDecoder(spec.raw)
        self.seen: set[str] = set()

    def _first(self, pointer: str, value: Any, direction: Direction) -> Violation | None:
        violations = self.validator.validate_instance(pointer, value, direction=direction)
        return violations[0] if violations else None

    def parameter(self, param: Parameter) -> Iterator[Found]:
        if param.schema is None:
            return
        holder = param.schema_pointer.removesuffix("/schema")
        for where, value in _named(param, holder):
            if not self._fresh(where):
                continue
            candidates = [value]
            if isinstance(value, str):
                candidates.extend(self.decoder.parameter(param, value))
            failures = [self._first(param.schema_pointer, c, "request") for c in candidates]
            if all(failures) and failures[0] is not None:
                yield where, _message(failures[0])

    def media(self, media: MediaType, direction: Direction) -> Iterator[Found]:
        if not media.schema or not media.is_json:
            return
        for where, value in _named(media, media.pointer):
            if not self._fresh(where):
                continue
            violation = self._first(media.schema_pointer, value, direction)
            if violation is not None:
                yield where, _message(violation)

    def operation(self, op: Operation) -> Iterator[Found]:
        for param in op.parameters:
            yield from self.parameter(param)
        if op.request_body is not None:
            for media in op.request_body.content.values():
                yield from self.media(media, "request")
        for response in op.responses.values():
            for media in response.content.values():
                yield from self.media(media, "response")

    def schema(self, node: Any, pointer: str) -> Iterator[Found]:
        """Examples written inside a schema and all its subschemas."""
        if not isinstance(node, dict) or not self._fresh(pointer):
            return
        values = [(f"{pointer}/example", node["example"])] if "example" in node else []
        if self.spec.is_openapi_31 and isinstance(node.get("examples"), list):
            values += [(f"{pointer}/examples/{i}", v) for i, v in enumerate(node["examples"])]
        for where, value in values:
            response = self._first(pointer, value, "response")
            if response is not None and self._first(pointer, value, "request") is not None:
                yield where, _message(response)
        for sub_pointer, sub in _subschemas(node, pointer):
            yield from self.schema(sub, sub_pointer)

    def _fresh(self, pointer: str) -> bool:
        if pointer in self.seen:
            return False
        self.seen.add(pointer)
        return True


def _subschemas(node: Mapping[str, Any], pointer: str) -> Iterator[tuple[str, Any]]:
    for key in _SCHEMA_MAPS:
        value = node.get(key)
        if isinstance(value, dict):
            for name, sub in value.items():
                yield f"{pointer}/{key}/{escape_pointer_token(name)}", sub
    for key in _SCHEMA_LISTS:
        value = node.get(key)
        if isinstance(value, list):
            for index, sub in enumerate(value):
                yield f"{pointer}/{key}/{index}", sub
    for key in _SCHEMA_VALUES:
        if isinstance(node.get(key), dict):
            yield f"{pointer}/{key}", node[key]


def _schema_roots(spec: Spec) -> Iterator[tuple[str, Any]]:
    components = spec.raw.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    if isinstance(schemas, dict):
        for name, schema in schemas.items():
            yield f"#/components/schemas/{escape_pointer_token(name)}", schema
    for op in (*spec.operations, *spec.webhooks):
        for param in op.parameters:
            yield param.schema_pointer, param.schema
        bodies = [*op.request_body.content.values()] if op.request_body else []
        for response in op.responses.values():
            bodies.extend(response.content.values())
        for media in bodies:
            yield media.schema_pointer, media.schema


def example_problems(spec: Spec) -> Iterator[Found]:
    """(pointer of the example, message) for every example its schema rejects."""
    finder = _Finder(spec)
    for op in (*spec.operations, *spec.webhooks):
        yield from finder.operation(op)
    for pointer, schema in _schema_roots(spec):
        yield from finder.schema(schema, pointer)
