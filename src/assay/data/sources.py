"""Where a builder's schema comes from: a pydantic model, a JSON Schema, a spec component.

A `SchemaSource` holds a JSON Schema inside a `Spec` (so ``$ref``s resolve and the
generation layer's `ValueFactory` and `SchemaChecker` work on it unchanged) and the
function that turns generated data into the builder's output: a validated pydantic
model instance, a mapped SQLAlchemy object, or the plain dict. Sources are compiled
once per model or schema and shared by every builder made from them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from assay.errors import AssayError
from assay.generation.values import ValueFactory
from assay.spec.model import Spec

__all__ = ["SchemaSource", "model_source", "schema_source", "spec_source"]

T = TypeVar("T")
_ROOT = "__root__"
_LOCAL_DEFS = ("#/$defs/", "#/definitions/")
_MODELS: dict[type[Any], SchemaSource[Any]] = {}


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    return data


@dataclass(frozen=True, eq=False)
class SchemaSource(Generic[T]):
    """A schema to build from, the document it lives in, and how data becomes output."""

    name: str
    spec: Spec
    schema: Any
    output: Callable[[dict[str, Any]], T]
    kind: str = "schema"
    """``"pydantic model"``, ``"table"``, ``"schema"`` or ``"spec component"`` (for messages)."""
    factory: ValueFactory = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "factory", ValueFactory(self.spec, 0))

    def describe(self) -> str:
        """``the pydantic model NewProduct`` — how messages name this source."""
        return f"the {self.kind} {self.name}"


def model_source(model: type[T]) -> SchemaSource[T]:
    """The source of a pydantic v2 model: its validation JSON Schema; output: an instance."""
    found = _MODELS.get(model)
    if found is not None:
        return found
    schema_of = getattr(model, "model_json_schema", None)
    validate = getattr(model, "model_validate", None)
    if schema_of is None or validate is None:
        raise AssayError(
            f"{model!r} is not a pydantic v2 model",
            hint="Pass a pydantic BaseModel subclass, or use Builder.from_schema for a "
            "JSON Schema and Builder.from_table for a SQLAlchemy model.",
        )
    name = model.__name__
    spec = _document(schema_of(), name)
    source = SchemaSource(name, spec, _root(spec, name), _validator_of(model), "pydantic model")
    _MODELS[model] = source
    return source


def _validator_of(model: type[T]) -> Callable[[dict[str, Any]], T]:
    """Validates data into the model; JSON mode when Python mode is stricter (dates as text)."""
    from pydantic import ValidationError

    validate: Callable[[Any], T] = model.model_validate  # type: ignore[attr-defined]
    validate_json: Callable[[str], T] = model.model_validate_json  # type: ignore[attr-defined]

    def output(data: dict[str, Any]) -> T:
        try:
            return validate(data)
        except ValidationError:
            pass
        try:
            return validate_json(json.dumps(data))
        except ValidationError as exc:
            raise AssayError(
                f"the pydantic model {model.__name__} refused the built data: {_first_error(exc)}",
                hint="A validator of the model asks for more than its JSON Schema says: "
                "give the field a value that passes it, in the builder's fields or an override.",
            ) from None

    return output


def _first_error(exc: Any) -> str:
    error = exc.errors()[0]
    where = ".".join(str(p) for p in error.get("loc", ())) or "(the object)"
    return f"field {where}: {error.get('msg', '')}"


def schema_source(
    schema: Mapping[str, Any], *, name: str = "schema", openapi30: bool = False
) -> SchemaSource[dict[str, Any]]:
    """The source of a JSON Schema (2020-12, or OpenAPI 3.0 with `openapi30`); output: dicts.

    Local ``$defs``/``definitions`` references resolve; the output is the plain dict.
    """
    if not isinstance(schema, Mapping):
        raise AssayError(
            f"a schema must be a JSON object, got {type(schema).__name__}",
            hint="Pass the schema as a dict, e.g. {'type': 'object', 'properties': {...}}.",
        )
    spec = _document(schema, name, openapi="3.0.3" if openapi30 else "3.1.0")
    return SchemaSource(name, spec, _root(spec, name), _plain, "schema")


def spec_source(spec: Spec, name: str) -> SchemaSource[dict[str, Any]]:
    """The source of the component schema `name` of a loaded spec; output: dicts."""
    components = spec.raw.get("components", {}).get("schemas", {})
    if name not in components:
        known = ", ".join(sorted(components)) or "none"
        raise AssayError(
            f"the spec has no component schema {name!r}",
            hint=f"Component schemas of {spec.source}: {known}.",
        )
    return SchemaSource(name, spec, components[name], _plain, "spec component")


def _document(schema: Mapping[str, Any], name: str, openapi: str = "3.1.0") -> Spec:
    """A minimal OpenAPI document holding `schema` and its ``$defs`` as components."""
    from assay.spec.loading import from_dict

    body = {k: v for k, v in schema.items() if k not in ("$defs", "definitions", "$schema")}
    components = {**schema.get("definitions", {}), **schema.get("$defs", {})}
    components[_ROOT] = body
    document = {
        "openapi": openapi,
        "info": {"title": name, "version": "0"},
        "paths": {},
        "components": {"schemas": _local_refs(components)},
    }
    return from_dict(document, source=f"<schema {name}>")


def _root(spec: Spec, name: str) -> Any:
    del name
    return spec.raw["components"]["schemas"][_ROOT]


def _local_refs(node: Any) -> Any:
    """``#/$defs/X`` and ``#`` references pointed at the document's components."""
    if isinstance(node, list):
        return [_local_refs(item) for item in node]
    if not isinstance(node, dict):
        return node
    result: dict[str, Any] = {}
    for key, value in node.items():
        if key == "$ref" and isinstance(value, str):
            result[key] = _component_ref(value)
        elif key == "discriminator" and isinstance(value, dict):
            mapping = value.get("mapping", {})
            result[key] = {**value, "mapping": {k: _component_ref(v) for k, v in mapping.items()}}
        elif key in ("enum", "const", "default", "examples", "example"):
            result[key] = value
        else:
            result[key] = _local_refs(value)
    return result


def _component_ref(ref: str) -> str:
    if ref == "#":
        return f"#/components/schemas/{_ROOT}"
    for prefix in _LOCAL_DEFS:
        if ref.startswith(prefix):
            return "#/components/schemas/" + ref[len(prefix) :]
    return ref
