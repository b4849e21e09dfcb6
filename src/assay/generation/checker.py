"""Check a generated value against a raw schema of the document, as the validator would.

Generators build values by hand for speed; `SchemaChecker` is the safety net that keeps
them honest. It converts a schema the way `SpecValidator` does (3.0 forms to 2020-12,
``readOnly`` properties not required in requests), compiles it once with jsonschema-rs
against the whole converted document (so ``$ref``s resolve), and answers ``is_valid``.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import jsonschema_rs

from assay.spec.conversion import Direction, SchemaConverter
from assay.spec.formats import FORMATS, RANGE_KEYWORD, IntegerRange
from assay.spec.model import Spec

__all__ = ["Problem", "SchemaChecker"]


class Problem(NamedTuple):
    """One failed keyword: where in the value, which keyword, and the validator's words."""

    path: tuple[str | int, ...]
    keyword: str
    message: str


class SchemaChecker:
    """Compiled validators for raw schema fragments of one document (one direction)."""

    def __init__(self, spec: Spec, direction: Direction = "request") -> None:
        self._uri = f"urn:assay:generation:{direction}"
        self._converter = SchemaConverter(
            spec.raw, openapi30=not spec.is_openapi_31, direction=direction
        )
        document = self._converter.convert_all()
        self._registry = jsonschema_rs.Registry(
            [(self._uri, document)], draft=jsonschema_rs.Draft202012
        )
        self._compiled: dict[int, tuple[Any, jsonschema_rs.Validator | None]] = {}

    def is_valid(self, schema: Any, value: Any) -> bool:
        """True when `value` matches `schema` (or the schema cannot be compiled).

        Files of a multipart body (bytes) are checked as the text they stand for.
        """
        validator = self._validator(schema)
        if isinstance(value, dict) and any(isinstance(v, bytes) for v in value.values()):
            value = {
                k: v.decode("latin-1") if isinstance(v, bytes) else v for k, v in value.items()
            }
        return validator is None or validator.is_valid(value)

    def problems(self, schema: Any, value: Any) -> list[Problem]:
        """Why `value` does not match `schema`: one `Problem` per failed keyword (none if valid)."""
        validator = self._validator(schema)
        if validator is None:
            return []
        return [
            Problem(
                tuple(error.instance_path),
                str(error.schema_path[-1]) if error.schema_path else "",
                error.message,
            )
            for error in validator.iter_errors(value)
        ]

    def can_check(self, schema: Any) -> bool:
        """False when the schema could not be compiled (its answers are then always True)."""
        return self._validator(schema) is not None

    def _validator(self, schema: Any) -> jsonschema_rs.Validator | None:
        cached = self._compiled.get(id(schema))
        if cached is not None and cached[0] is schema:
            return cached[1]
        compiled = self._compile(schema)
        self._compiled[id(schema)] = (schema, compiled)
        return compiled

    def _compile(self, schema: Any) -> jsonschema_rs.Validator | None:
        if isinstance(schema, bool):
            schema = {} if schema else {"not": {}}
        converted = _anchor_refs(self._converter.convert(schema), self._uri)
        try:
            return jsonschema_rs.Draft202012Validator(
                converted,
                registry=self._registry,
                validate_formats=True,
                ignore_unknown_formats=True,
                formats=FORMATS,
                keywords={RANGE_KEYWORD: IntegerRange},
            )
        except (jsonschema_rs.ValidationError, jsonschema_rs.ReferencingError, ValueError):
            return None


def _anchor_refs(node: Any, uri: str) -> Any:
    """Local ``#/…`` references rewritten to point into the registered document."""
    if isinstance(node, list):
        return [_anchor_refs(item, uri) for item in node]
    if not isinstance(node, dict):
        return node
    result: dict[str, Any] = {}
    for key, value in node.items():
        if key == "$ref" and isinstance(value, str) and value.startswith("#"):
            result[key] = uri + value
        elif key in ("enum", "const", "default", "examples", "example"):
            result[key] = value
        else:
            result[key] = _anchor_refs(value, uri)
    return result
