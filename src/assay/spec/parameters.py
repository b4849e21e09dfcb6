"""Build `Parameter`s: references followed, defaults applied, path-item and operation merged."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, cast

from assay.errors import AssayError
from assay.spec.model import (
    Parameter,
    ParameterLocation,
    default_style,
    escape_pointer_token,
)
from assay.spec.references import follow

__all__ = ["as_schema", "build_parameters", "check_template", "resolved_examples"]

_LOCATIONS = ("path", "query", "header", "cookie")
# OpenAPI: header parameters with these names SHALL be ignored (other fields carry them).
_IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})
_TEMPLATE_NAME = re.compile(r"\{([^{}]+)\}")


def resolved_examples(
    raw: Mapping[str, Any], node: Mapping[str, Any], pointer: str
) -> dict[str, Any]:
    """The ``examples`` map of `node` with each Example object's reference followed."""
    examples = node.get("examples")
    if not isinstance(examples, dict):
        return {}
    resolved: dict[str, Any] = {}
    for name, example in examples.items():
        where = f"{pointer}/examples/{escape_pointer_token(name)}"
        resolved[name] = follow(raw, example, where)[0]
    return resolved


def _location(node: Mapping[str, Any], pointer: str) -> ParameterLocation:
    if "in" not in node:
        raise AssayError(
            "parameter has no 'in'",
            pointer=pointer,
            hint="Add in: path, query, header or cookie.",
        )
    location = node["in"]
    if location not in _LOCATIONS:
        raise AssayError(
            f"parameter 'in' is {location!r}; expected one of path, query, header, cookie",
            pointer=pointer,
            hint="Swagger 2.0 'body' and 'formData' parameters are a requestBody in OpenAPI 3.",
        )
    return cast(ParameterLocation, location)


def _schema_and_content(
    node: Mapping[str, Any], pointer: str
) -> tuple[dict[str, Any] | None, str | None, Mapping[str, Any]]:
    """The schema, the content type (for ``content`` parameters) and the node holding examples."""
    content = node.get("content")
    if isinstance(content, dict) and content:
        if len(content) != 1:
            raise AssayError(
                f"parameter 'content' has {len(content)} media types; OpenAPI allows exactly one",
                pointer=f"{pointer}/content",
                hint="Keep the one media type the parameter is serialized as.",
            )
        media_type, media = next(iter(content.items()))
        media = media if isinstance(media, dict) else {}
        return as_schema(media.get("schema")), media_type, media
    return as_schema(node.get("schema")), None, node


def as_schema(value: Any) -> dict[str, Any] | None:
    """A schema as a dict (``true`` is ``{}``), or None when there is none."""
    if value is True:
        return {}
    if value is False:
        return {"not": {}}
    return value if isinstance(value, dict) else None


def build_parameter(raw: Mapping[str, Any], node: Any, site: str) -> Parameter | None:
    """One parameter from its (possibly referenced) definition; None when OpenAPI ignores it."""
    node, pointer = follow(raw, node, site)
    if not isinstance(node, dict):
        raise AssayError("a parameter must be an object", pointer=pointer)
    location = _location(node, pointer)
    name = node.get("name")
    if not isinstance(name, str) or not name:
        raise AssayError("parameter has no 'name'", pointer=pointer, hint="Add name: <name>.")
    if location == "header" and name.lower() in _IGNORED_HEADERS:
        return None
    schema, content_type, holder = _schema_and_content(node, pointer)
    style = node.get("style") or default_style(location)
    explode = node.get("explode")
    return Parameter(
        name=name,
        location=location,
        required=True if location == "path" else bool(node.get("required", False)),
        schema=schema,
        style=style,
        explode=bool(explode) if explode is not None else style == "form",
        pointer=pointer,
        description=node.get("description"),
        deprecated=bool(node.get("deprecated", False)),
        allow_empty_value=bool(node.get("allowEmptyValue", False)),
        allow_reserved=bool(node.get("allowReserved", False)),
        content_type=content_type,
        example=holder.get("example"),
        examples=resolved_examples(raw, holder, pointer),
    )


def _parameter_list(
    raw: Mapping[str, Any], owner: Mapping[str, Any], pointer: str
) -> list[Parameter]:
    entries = owner.get("parameters")
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise AssayError(
            "'parameters' must be a list",
            pointer=f"{pointer}/parameters",
            hint="Write a YAML list.",
        )
    built = (build_parameter(raw, e, f"{pointer}/parameters/{i}") for i, e in enumerate(entries))
    return [p for p in built if p is not None]


def build_parameters(
    raw: Mapping[str, Any],
    path_item: Mapping[str, Any],
    item_pointer: str,
    operation: Mapping[str, Any],
    op_pointer: str,
) -> tuple[Parameter, ...]:
    """Path-item parameters merged with the operation's; the operation's win by (in, name)."""
    own = _parameter_list(raw, operation, op_pointer)
    overridden = {p.key for p in own}
    inherited = [
        p for p in _parameter_list(raw, path_item, item_pointer) if p.key not in overridden
    ]
    return (*inherited, *own)


def check_template(path: str, parameters: tuple[Parameter, ...], op_pointer: str) -> None:
    """Every ``{name}`` in the path template must be a declared path parameter."""
    declared = {p.name for p in parameters if p.location == "path"}
    for name in _TEMPLATE_NAME.findall(path):
        if name not in declared:
            raise AssayError(
                f"path parameter '{name}' appears in the template {path} but is not declared",
                pointer=op_pointer,
                hint=f"Add {{name: {name}, in: path, required: true, schema: …}} to the "
                "operation's or the path item's parameters.",
            )
