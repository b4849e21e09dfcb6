"""Compiled schema validators for one document, cached per (schema pointer, direction).

Each direction (request, response) has one converted document registered with
jsonschema-rs; a validator for a pointer is ``{"$ref": "urn:assay:<direction>#<pointer>"}``
compiled once. `SchemaSet.errors` asks ``is_valid`` first and only walks the errors of an
invalid instance, so a conforming instance costs one native call.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import jsonschema_rs

from assay.spec.conversion import (
    NULLABLE_MARK,
    ONE_OF_MARK,
    Direction,
    SchemaConverter,
    quote_pointer,
)
from assay.spec.formats import FORMATS, RANGE_KEYWORD, IntegerRange
from assay.spec.model import escape_pointer_token, unescape_pointer_token

__all__ = ["SchemaError", "SchemaSet"]

_MAX_ERRORS = 10
_MAX_MESSAGE = 300


@dataclass(frozen=True, slots=True)
class SchemaError:
    """One way an instance breaks a schema."""

    message: str
    schema_pointer: str
    data_pointer: str


class _Direction:
    """The converted document and registry of one direction."""

    def __init__(self, raw: Mapping[str, Any], *, openapi30: bool, direction: Direction) -> None:
        self.uri = f"urn:assay:{direction}"
        self.converter = SchemaConverter(raw, openapi30=openapi30, direction=direction)
        self.document = self.converter.convert_all()
        self.registry = self._registry()
        self.validators: dict[str, jsonschema_rs.Validator | None] = {}

    def _registry(self) -> jsonschema_rs.Registry:
        return jsonschema_rs.Registry([(self.uri, self.document)], draft=jsonschema_rs.Draft202012)

    def validator(self, pointer: str, skipped: dict[str, str]) -> jsonschema_rs.Validator | None:
        if pointer in self.validators:
            return self.validators[pointer]
        if self.converter.ensure(pointer):
            self.registry = self._registry()
        try:
            compiled: jsonschema_rs.Validator | None = jsonschema_rs.Draft202012Validator(
                {"$ref": self.uri + quote_pointer(pointer)},
                registry=self.registry,
                validate_formats=True,
                ignore_unknown_formats=True,
                formats=FORMATS,
                keywords={RANGE_KEYWORD: IntegerRange},
            )
        except (jsonschema_rs.ValidationError, jsonschema_rs.ReferencingError, ValueError) as exc:
            skipped[pointer] = str(exc).splitlines()[0]
            compiled = None
        self.validators[pointer] = compiled
        return compiled


class SchemaSet:
    """Validators for every schema of a document, compiled on first use.

    `skipped` maps the pointers of schemas that could not be compiled (a regular
    expression the engine does not support, say) to the reason; instances are not
    checked against those, rather than reported falsely.
    """

    def __init__(self, raw: Mapping[str, Any], *, openapi30: bool) -> None:
        self._raw = raw
        self._openapi30 = openapi30
        self._directions: dict[str, _Direction] = {}
        self.skipped: dict[str, str] = {}

    def _direction(self, direction: Direction) -> _Direction:
        found = self._directions.get(direction)
        if found is None:
            found = _Direction(self._raw, openapi30=self._openapi30, direction=direction)
            self._directions[direction] = found
        return found

    def is_valid(self, pointer: str, instance: Any, direction: Direction) -> bool:
        """True when `instance` matches the schema at `pointer` (or it cannot be compiled)."""
        validator = self._direction(direction).validator(pointer, self.skipped)
        return validator is None or validator.is_valid(instance)

    def errors(self, pointer: str, instance: Any, direction: Direction) -> list[SchemaError]:
        """How `instance` breaks the schema at `pointer` (empty when it matches)."""
        state = self._direction(direction)
        validator = state.validator(pointer, self.skipped)
        if validator is None or validator.is_valid(instance):
            return []
        found: list[SchemaError] = []
        for error in itertools.islice(validator.iter_errors(instance), _MAX_ERRORS):
            for leaf in _expand(error, state.document):
                found.append(_describe(leaf, state.document, pointer))
        return found[:_MAX_ERRORS]


def _walk(document: Any, fragment: str) -> Iterator[tuple[str, Any, Any]]:
    """(token, parent, node) along a location in the converted document."""
    node = document
    for token in fragment.strip("/").split("/") if fragment.strip("/") else []:
        parent = node
        key = unescape_pointer_token(token)
        if isinstance(node, dict):
            node = node.get(key)
        elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            node = None
        yield key, parent, node


def _fragment(location: str | None) -> str | None:
    if not location or "#" not in location:
        return None
    return unquote(location.split("#", 1)[1])


def _any_of_owner(error: jsonschema_rs.ValidationError, document: Any) -> dict[str, Any]:
    """The converted schema whose ``anyOf`` failed (empty when it is not an anyOf failure)."""
    fragment = _fragment(error.absolute_keyword_location)
    if fragment is None or not fragment.endswith("/anyOf"):
        return {}
    steps = list(_walk(document, fragment))
    owner = steps[-1][1] if steps else None
    return owner if isinstance(owner, dict) else {}


def _chosen_branch(owner: Mapping[str, Any], instance: Any) -> int | None:
    """The branch a discriminator picks for `instance`, if it picks one."""
    if NULLABLE_MARK in owner:
        return 1
    discriminator = owner.get("discriminator")
    if ONE_OF_MARK not in owner or not isinstance(discriminator, dict):
        return None
    name = discriminator.get("propertyName")
    value = instance.get(name) if isinstance(instance, dict) and isinstance(name, str) else None
    if not isinstance(value, str):
        return None
    mapping = discriminator.get("mapping")
    target = mapping.get(value) if isinstance(mapping, dict) else None
    for index, branch in enumerate(owner.get("anyOf") or ()):
        ref = unquote(branch.get("$ref", "")) if isinstance(branch, dict) else ""
        if ref and (ref == target or ref.endswith(f"/{value}")):
            return index
    return None


def _expand(
    error: jsonschema_rs.ValidationError, document: Any
) -> list[jsonschema_rs.ValidationError]:
    """A nullable wrapper's failure is the failure of its non-null branch, and a
    discriminated union's failure that of the branch its discriminator names."""
    kind = error.kind
    if not isinstance(kind, jsonschema_rs.ValidationErrorKind.AnyOf):
        return [error]
    owner = _any_of_owner(error, document)
    index = _chosen_branch(owner, error.instance) if owner else None
    if index is not None and index < len(kind.context) and kind.context[index]:
        return [leaf for inner in kind.context[index] for leaf in _expand(inner, document)]
    return [error]


def _schema_pointer(location: str | None, document: Any, fallback: str) -> str:
    """The document pointer of the schema an error location names (wrappers undone)."""
    fragment = _fragment(location)
    if fragment is None:
        return fallback
    out: list[str] = []
    skip = 0
    node: Any = None
    appended = False
    for key, parent, step in _walk(document, fragment):
        node = step
        appended = False
        if skip:
            skip -= 1
            continue
        marks = parent if isinstance(parent, dict) else {}
        if key == "anyOf" and NULLABLE_MARK in marks:
            skip = 1  # and the branch index: the wrapper stands at its schema's own pointer
            continue
        out.append("oneOf" if key == "anyOf" and ONE_OF_MARK in marks else key)
        appended = True
    if appended and not isinstance(node, dict | bool):
        out.pop()  # the keyword that failed: name the schema that holds it
    return "#" + "".join("/" + escape_pointer_token(t) for t in out)


def _describe(error: jsonschema_rs.ValidationError, document: Any, pointer: str) -> SchemaError:
    message = " ".join(error.message.split())
    if "'anyOf'" in message and ONE_OF_MARK in _any_of_owner(error, document):
        message = message.replace("'anyOf'", "'oneOf'")
    if len(message) > _MAX_MESSAGE:
        message = message[: _MAX_MESSAGE - 1] + "…"
    data = "".join("/" + escape_pointer_token(str(t)) for t in error.instance_path)
    return SchemaError(
        message=message,
        schema_pointer=_schema_pointer(error.absolute_keyword_location, document, pointer),
        data_pointer=data,
    )
