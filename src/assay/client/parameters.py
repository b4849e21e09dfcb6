"""Serialize parameter values the way the spec says (OpenAPI `style` and `explode`).

Path: simple, label, matrix. Query: form, spaceDelimited, pipeDelimited, deepObject.
Header: simple. Cookie: form. Parameters described with `content` are JSON-encoded.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from assay.spec.model import Parameter

__all__ = ["fill_path", "scalar", "serialize_header", "serialize_query"]


def scalar(value: Any) -> str:
    """One primitive as text: booleans lower-case, None empty."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return ""
    return str(value)


def _pairs(value: Mapping[str, Any]) -> list[tuple[str, str]]:
    return [(str(k), scalar(v)) for k, v in value.items()]


def _is_list(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str | bytes)


def _simple(value: Any, explode: bool) -> str:
    if _is_list(value):
        return ",".join(scalar(v) for v in value)
    if isinstance(value, Mapping):
        joiner = "=" if explode else ","
        return ",".join(f"{k}{joiner}{v}" for k, v in _pairs(value))
    return scalar(value)


def serialize_path(param: Parameter, value: Any) -> str:
    """The text that replaces ``{name}`` in the path, percent-encoded."""
    if param.content_type is not None:
        return quote(json.dumps(value, separators=(",", ":")), safe="")
    encoded = _encode_deep(value)
    if param.style == "label":
        sep = "." if param.explode else ","
        if _is_list(encoded):
            return "." + sep.join(encoded)
        return "." + _simple(encoded, param.explode).replace(",", sep)
    if param.style == "matrix":
        return _matrix(param.name, encoded, param.explode)
    return _simple(encoded, param.explode)


def _encode_deep(value: Any) -> Any:
    if _is_list(value):
        return [quote(scalar(v), safe="") for v in value]
    if isinstance(value, Mapping):
        return {quote(str(k), safe=""): quote(scalar(v), safe="") for k, v in value.items()}
    return quote(scalar(value), safe="")


def _matrix(name: str, value: Any, explode: bool) -> str:
    if _is_list(value):
        if explode:
            return "".join(f";{name}={v}" for v in value)
        return f";{name}=" + ",".join(value)
    if isinstance(value, Mapping):
        if explode:
            return "".join(f";{k}={v}" for k, v in value.items())
        return f";{name}=" + ",".join(f"{k},{v}" for k, v in value.items())
    return f";{name}={value}"


def fill_path(template: str, params: Sequence[Parameter], values: Mapping[str, Any]) -> str:
    """The concrete path: every ``{name}`` replaced by its serialized value."""
    path = template
    by_name = {p.name: p for p in params if p.location == "path"}
    for name, value in values.items():
        path = path.replace("{" + name + "}", serialize_path(by_name[name], value))
    return path


def serialize_query(param: Parameter, value: Any) -> list[tuple[str, str]]:
    """The (name, value) pairs a query parameter becomes."""
    name = param.name
    if param.content_type is not None:
        return [(name, json.dumps(value, separators=(",", ":")))]
    if param.style == "deepObject" and isinstance(value, Mapping):
        return [(f"{name}[{k}]", v) for k, v in _pairs(value)]
    if _is_list(value):
        items = [scalar(v) for v in value]
        if param.style == "spaceDelimited":
            return [(name, " ".join(items))]
        if param.style == "pipeDelimited":
            return [(name, "|".join(items))]
        return [(name, v) for v in items] if param.explode else [(name, ",".join(items))]
    if isinstance(value, Mapping):
        if param.explode:
            return _pairs(value)
        return [(name, ",".join(f"{k},{v}" for k, v in _pairs(value)))]
    return [(name, scalar(value))]


def serialize_header(param: Parameter, value: Any) -> str:
    """A header or cookie parameter's value (simple / form style)."""
    if param.content_type is not None:
        return json.dumps(value, separators=(",", ":"))
    if param.location == "cookie" and isinstance(value, Mapping) and not param.explode:
        return ",".join(f"{k},{v}" for k, v in _pairs(value))
    return _simple(value, param.explode)
