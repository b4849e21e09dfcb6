"""A valid request for an operation: the baseline every other generator varies.

`Baseline` chooses the body's media type (JSON first), fills parameters and the body
with factory-made values, and places each value where a `Case` carries it (headers and
cookies as text, path and query values typed for the client to serialize). Header
parameters OpenAPI says to ignore (``Accept``, ``Content-Type``, ``Authorization``) are
never generated. `other_media` lists the operation's further media types a body can be
written in (JSON, forms, multipart, CSV with a known row schema), for which the examples,
boundary and fuzz phases send bodies too (`Baseline.for_media`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from assay.client.parameters import serialize_header
from assay.generation.cases import UNSET, Case, CaseKind
from assay.generation.csv_bodies import CsvLayout, csv_layout, is_csv
from assay.generation.values import ValueFactory, location_rule
from assay.generation.walk import SchemaReader
from assay.spec.model import MediaType, Operation, Parameter

__all__ = [
    "Baseline",
    "as_files",
    "body_media",
    "body_value",
    "generated_parameters",
    "is_file",
    "other_media",
    "place",
    "remove",
    "sendable",
]

_IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})
_MEDIA_PREFERENCE = (
    "application/json",
    "+json",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
)


def generated_parameters(operation: Operation) -> tuple[Parameter, ...]:
    """The parameters a generator fills (the ignored header names left out)."""
    return tuple(
        p
        for p in operation.parameters
        if not (p.location == "header" and p.name.lower() in _IGNORED_HEADERS)
    )


def body_media(operation: Operation) -> MediaType | None:
    """The media type cases send the body as: JSON first, then forms, then the first."""
    body = operation.request_body
    if body is None or not body.content:
        return None
    media = list(body.content.values())
    for wanted in _MEDIA_PREFERENCE:
        for entry in media:
            base = entry.media_type.split(";", 1)[0].strip().lower()
            if base == wanted or (wanted.startswith("+") and base.endswith(wanted)):
                return entry
    return media[0]


def other_media(operation: Operation, reader: SchemaReader) -> list[MediaType]:
    """The request media types besides `body_media` that cases are written in too.

    JSON (and ``+json``), flat forms and multipart (whose fields hold no object: how a
    server reads one from a form is not knowable, so neither generator nor validator
    could judge it) and CSV whose rows the document describes (`csv_layout`); other
    media types (XML, octet streams, plain text) have no generator of their own.
    """
    first = body_media(operation)
    body = operation.request_body
    if first is None or body is None:
        return []
    found: list[MediaType] = []
    for entry in body.content.values():
        if entry is first:
            continue
        if is_csv(entry):
            if csv_layout(operation, entry, reader) is not None:
                found.append(entry)
        elif entry.is_json or (_base(entry) in _MEDIA_PREFERENCE and _flat(entry, reader)):
            found.append(entry)
    return found


def _flat(media: MediaType, reader: SchemaReader) -> bool:
    node = reader.node(media.schema or {})
    if "object" not in node.types or not node.properties or node.branches:
        return False
    for _, schema, _ in reader.properties(node):
        field = reader.node(schema)
        items = reader.node(field.get("items") or {}) if "array" in field.types else None
        if "object" in field.types or field.branches or (items and "object" in items.types):
            return False
    return True


def _base(media: MediaType) -> str:
    return media.media_type.split(";", 1)[0].strip().lower()


def place(case: Case, param: Parameter, value: Any) -> None:
    """Put a parameter value into `case` where its location says."""
    if param.location == "path":
        case.path_parameters[param.name] = value
    elif param.location == "query":
        case.query[param.name] = value
    elif param.location == "header":
        case.headers[param.name] = (
            value if isinstance(value, str) else serialize_header(param, value)
        )
    else:
        case.cookies[param.name] = (
            value if isinstance(value, str) else serialize_header(param, value)
        )


def sendable(value: Any, param: Parameter) -> bool:
    """True when `value` can travel in the parameter's location as itself.

    No empty path segment (the router would redirect or match another route), no text
    a header cannot carry, no empty list (it is no parameter at all).
    """
    rule = location_rule(param)
    if isinstance(value, list):
        return bool(value) and all(rule(str(v)) for v in value if not isinstance(v, dict | list))
    if isinstance(value, str):
        return rule(value) or (param.location != "path" and value == "")
    return value is not None and not isinstance(value, dict)


def remove(case: Case, param: Parameter) -> None:
    """Take a parameter out of `case`."""
    holder = _holder(case, param)
    if param.location == "header":
        for key in [k for k in holder if k.lower() == param.name.lower()]:
            del holder[key]
    else:
        holder.pop(param.name, None)


def _holder(case: Case, param: Parameter) -> dict[str, Any]:
    return {
        "path": case.path_parameters,
        "query": case.query,
        "header": case.headers,
        "cookie": case.cookies,
    }[param.location]


@dataclass(slots=True)
class Baseline:
    """Valid parameter values and body for one operation, made once and reused."""

    operation: Operation
    values: dict[tuple[str, str], Any] = field(default_factory=dict)
    media: MediaType | None = None
    body: Any = UNSET
    layout: CsvLayout | None = None
    """For a CSV body written from rows: its layout, and `rows` the rows of its text."""
    rows: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def build(
        cls, operation: Operation, factory: ValueFactory, *, optional: bool = True
    ) -> Baseline:
        """Values for every required parameter (and the optional ones when `optional`)."""
        baseline = cls(operation)
        for param in generated_parameters(operation):
            if param.required or optional:
                baseline.values[param.key] = factory.for_parameter(param)
        media = body_media(operation)
        return baseline if media is None else baseline.for_media(media, factory)

    def for_media(self, media: MediaType, factory: ValueFactory) -> Baseline:
        """The same parameter values with a body written in `media`."""
        other = Baseline(self.operation, dict(self.values), media)
        other.layout = csv_layout(self.operation, media, factory.reader)
        if other.layout is not None:
            other.rows = other.layout.sample(factory)
            other.body = other.layout.text(other.rows)
        else:
            other.body = body_value(media, factory)
        return other

    def parameters(self) -> Iterator[tuple[Parameter, Any]]:
        for param in generated_parameters(self.operation):
            if param.key in self.values:
                yield param, self.values[param.key]

    def case(self, *, phase: str, kind: CaseKind = "positive", note: str | None = None) -> Case:
        """A new `Case` holding these values (safe to modify)."""
        case = Case(self.operation, phase=phase, kind=kind, note=note)
        for param, value in self.parameters():
            place(case, param, _copy(value))
        if self.media is not None and self.body is not UNSET:
            case.body = _copy(self.body)
            case.media_type = self.media.media_type
        return case


def body_value(media: MediaType, factory: ValueFactory) -> Any:
    """A valid body for `media`; ``format: binary`` fields of multipart become bytes."""
    return as_files(media, factory.for_body(media), factory.reader)


def _binary_parts(media: MediaType, value: dict[str, Any], reader: SchemaReader) -> dict[str, Any]:
    node = reader.node(media.schema or {})
    result = dict(value)
    for name, schema in node.properties.items():
        if name in result and is_file(schema, reader) and not isinstance(result[name], bytes):
            result[name] = str(result[name]).encode()
    return result


def is_file(schema: Any, reader: SchemaReader) -> bool:
    """True for a file field of a form: ``format: binary`` (3.0) or ``contentMediaType`` (3.1)."""
    node = reader.node(schema)
    return node.get("format") == "binary" or "contentMediaType" in node.schema


def as_files(media: MediaType, body: Any, reader: SchemaReader) -> Any:
    """A multipart body with its file fields as bytes (sent as files); other bodies as they are."""
    if media.media_type.lower().startswith("multipart/") and isinstance(body, dict):
        return _binary_parts(media, body, reader)
    return body


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value
