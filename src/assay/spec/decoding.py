"""Turn serialized parameter, header and form values back into JSON values.

A query string or header carries text; the schema says whether ``"42"`` is the integer
42 or the string "42". `ValueDecoder` reads the schema's types (through ``$ref``,
``allOf``, ``anyOf`` and ``oneOf``), undoes the parameter's style (``form``,
``simple``, ``label``, ``matrix``, ``spaceDelimited``, ``pipeDelimited``,
``deepObject``) and returns candidate values, most likely first. When a serialization
cannot be undone with certainty (an exploded object in a cookie) it returns no
candidate, and the value is not checked: a false alarm is worse than a missed one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import parse_qs

from assay.errors import AssayError
from assay.spec.model import Parameter, resolve_pointer

__all__ = ["ValueDecoder"]

_INTEGER = re.compile(r"^-?\d+$")
_NUMBER = re.compile(r"^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")
_DELIMITERS = {"spaceDelimited": " ", "pipeDelimited": "|"}
_COMPOSITIONS = ("allOf", "anyOf", "oneOf")


class ValueDecoder:
    """Decodes values against the schemas of one document."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self._raw = raw

    def resolve(self, schema: Any) -> Any:
        """`schema` with ``$ref``s at its top followed."""
        seen: set[str] = set()
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            ref = schema["$ref"]
            if ref in seen or not ref.startswith("#"):
                return {}
            seen.add(ref)
            try:
                schema = resolve_pointer(self._raw, ref)
            except AssayError:
                return {}
        return schema

    def types(self, schema: Any, depth: int = 0) -> frozenset[str]:
        """The JSON types `schema` admits; empty when it does not say."""
        schema = self.resolve(schema)
        if not isinstance(schema, dict) or depth > 8:
            return frozenset()
        found: set[str] = set()
        kind = schema.get("type")
        if isinstance(kind, str):
            found.add(kind)
        elif isinstance(kind, list):
            found.update(k for k in kind if isinstance(k, str))
        for keyword in _COMPOSITIONS:
            for member in schema.get(keyword) or ():
                found.update(self.types(member, depth + 1))
        if "number" in found:
            found.add("integer")
        return frozenset(found)

    def part(self, schema: Any, keyword: str, name: str | None = None) -> Any:
        """The ``items`` schema, or the schema of property `name`, looking into compositions."""
        schema = self.resolve(schema)
        if not isinstance(schema, dict):
            return {}
        value = schema.get(keyword)
        if name is not None:
            value = value.get(name) if isinstance(value, dict) else None
        if value is not None:
            return value
        for composition in _COMPOSITIONS:
            for member in schema.get(composition) or ():
                found = self.part(member, keyword, name)
                if found != {}:
                    return found
        return {}

    def scalar(self, text: str, schema: Any) -> list[Any]:
        """Candidate values for one serialized scalar, the schema's type first."""
        types = self.types(schema)
        candidates: list[Any] = []
        if "integer" in types and _INTEGER.match(text):
            candidates.append(int(text))
        if "number" in types and _NUMBER.match(text):
            candidates.append(float(text))
        if "boolean" in types and text in ("true", "false"):
            candidates.append(text == "true")
        if "null" in types and text in ("", "null"):
            candidates.append(None)
        if not types:
            candidates.extend(_guesses(text))
        candidates.append(text)
        return candidates

    def _item(self, text: str, schema: Any) -> Any:
        return self.scalar(text, schema)[0]

    def array(self, parts: Sequence[str], schema: Any) -> list[Any]:
        items = self.part(schema, "items")
        return [self._item(p, items) for p in parts]

    def object(self, pairs: Sequence[tuple[str, str]], schema: Any) -> dict[str, Any]:
        return {k: self._item(v, self.part(schema, "properties", k)) for k, v in pairs}

    def parameter(self, param: Parameter, value: str | Sequence[str]) -> list[Any]:
        """Candidate values of a path, header or cookie parameter (or a simple query one)."""
        values = [value] if isinstance(value, str) else list(value)
        if not values:
            return []
        if param.content_type is not None:
            return _content(values[-1], param.content_type)
        types = self.types(param.schema)
        if "array" in types and "object" not in types:
            parts = _split_array(param, values)
            return [] if parts is None else [self.array(parts, param.schema)]
        if "object" in types and "array" not in types:
            pairs = _split_object(param, values[-1])
            return [] if pairs is None else [self.object(pairs, param.schema)]
        text = _strip_prefix(param, values[0])
        return [] if text is None else self.scalar(text, param.schema)

    def query_object(self, param: Parameter, query: Mapping[str, Any]) -> dict[str, Any] | None:
        """An object query parameter: ``deepObject`` (``f[a]=1``) or exploded form (``a=1``)."""
        if param.style == "deepObject":
            prefix = f"{param.name}["
            pairs = [
                (key[len(prefix) : -1], _last(value))
                for key, value in query.items()
                if key.startswith(prefix) and key.endswith("]")
            ]
        else:
            properties = self.part(param.schema, "properties")
            names = properties if isinstance(properties, dict) else {}
            pairs = [(key, _last(value)) for key, value in query.items() if key in names]
        return self.object(pairs, param.schema) if pairs else None

    def form(self, body: bytes, schema: Any, encoding: Mapping[str, Any]) -> dict[str, Any] | None:
        """An ``application/x-www-form-urlencoded`` body as an object; None when unsure."""
        try:
            fields = parse_qs(body.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            return None
        result: dict[str, Any] = {}
        for name, values in fields.items():
            prop = self.part(schema, "properties", name)
            types = self.types(prop)
            declared = encoding.get(name)
            declared_type = declared.get("contentType") if isinstance(declared, dict) else None
            if isinstance(declared_type, str):
                result[name] = _content(values[-1], declared_type)[0]
            elif "object" in types:
                return None  # how the object was written is not knowable
            elif "array" in types:
                result[name] = self.array(values, prop)
            else:
                result[name] = self._item(values[-1], prop)
        return result


def _guesses(text: str) -> list[Any]:
    if _INTEGER.match(text):
        return [int(text)]
    if _NUMBER.match(text):
        return [float(text)]
    if text in ("true", "false"):
        return [text == "true"]
    return []


def _last(value: str | Sequence[str]) -> str:
    return value if isinstance(value, str) else (value[-1] if value else "")


def _content(text: str, content_type: str) -> list[Any]:
    base = content_type.split(";", 1)[0].strip().lower()
    if base == "application/json" or base.endswith("+json"):
        try:
            return [json.loads(text)]
        except ValueError:
            return [text]  # not JSON: the schema check reports it
    return [text]


def _strip_prefix(param: Parameter, text: str) -> str | None:
    """Undo a path parameter's ``label`` (``.v``) or ``matrix`` (``;name=v``) prefix."""
    if param.location != "path":
        return text
    if param.style == "label":
        return text[1:] if text.startswith(".") else None
    if param.style == "matrix":
        prefix = f";{param.name}="
        return text[len(prefix) :] if text.startswith(prefix) else None
    return text


def _split_array(param: Parameter, values: list[str]) -> list[str] | None:
    if param.location == "query":
        if param.explode and param.style in ("form", "spaceDelimited", "pipeDelimited"):
            return values
        delimiter = _DELIMITERS.get(param.style, ",")
        return [p for v in values for p in v.split(delimiter)] if values != [""] else []
    text = values[-1]
    if param.location == "path" and param.style == "label":
        body = text[1:] if text.startswith(".") else None
        return None if body is None else body.split("." if param.explode else ",")
    if param.location == "path" and param.style == "matrix":
        return _matrix_array(param, text)
    if param.location == "cookie" and param.explode:
        return None
    parts = text.split(",")
    return [p.strip() for p in parts] if param.location == "header" else parts


def _matrix_array(param: Parameter, text: str) -> list[str] | None:
    prefix = f";{param.name}="
    if not text.startswith(prefix):
        return None
    if param.explode:
        return [
            chunk[len(prefix) - 1 :]
            for chunk in text.split(";")[1:]
            if chunk.startswith(f"{param.name}=")
        ]
    return text[len(prefix) :].split(",")


def _split_object(param: Parameter, text: str) -> list[tuple[str, str]] | None:
    if param.location not in ("path", "header") or param.style != "simple":
        return None
    if param.explode:
        pairs = [chunk.partition("=") for chunk in text.split(",") if chunk]
        return [(k.strip(), v.strip()) for k, _, v in pairs]
    parts = [p.strip() for p in text.split(",")]
    if len(parts) % 2:
        return None
    return list(zip(parts[::2], parts[1::2], strict=True))
