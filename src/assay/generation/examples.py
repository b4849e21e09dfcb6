"""The examples phase: every example the spec gives, and realistic factory-made requests.

Examples come from parameters (``example``, ``examples``), request media types
(``example``, ``examples``) and schemas (``example``, a 3.1 ``examples`` list,
``default``). The first case uses the first example of every part at once (a body with
no example of its own is assembled from its properties' examples over a generated
body); each further example then gets a case of its own, varying only its part. Two
factory-made cases follow: required parameters only, and every parameter. An example
that does not match its own schema is still sent, as an `edge` case (only a server
failure is a defect then), since the spec's lint already reports the example itself.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator, Mapping
from typing import Any

from assay.generation.baseline import (
    Baseline,
    body_media,
    generated_parameters,
    other_media,
    place,
)
from assay.generation.cases import Case
from assay.generation.values import UnsatisfiableSchema, ValueFactory
from assay.spec.model import MediaType, Operation, Parameter, ParameterLocation, Spec

__all__ = ["example_cases", "examples_of"]

Example = tuple[str, Any]
_PHASE = "examples"
_FIRST = "spec examples"
_IDEMPOTENCY = "idempotency-key"


def examples_of(holder: Parameter | MediaType, factory: ValueFactory) -> list[Example]:
    """(label, value) of each example a parameter or media type declares, its own first."""
    found: list[Example] = []
    if holder.example is not None:
        found.append(("example", holder.example))
    for name, entry in holder.examples.items():
        if isinstance(entry, Mapping) and "value" in entry:
            found.append((f"examples/{name}", entry["value"]))
    if holder.schema is not None:
        found.extend(_schema_examples(holder.schema, factory))
    return _unique(found)


def _schema_examples(schema: Any, factory: ValueFactory) -> list[Example]:
    merged = factory.reader.merged(schema)
    found: list[Example] = []
    if "example" in merged and not isinstance(merged.get("example"), bool | type(None)):
        found.append(("schema example", merged["example"]))
    listed = merged.get("examples")
    if isinstance(listed, list):
        found.extend((f"schema examples/{i}", v) for i, v in enumerate(listed))
    if "default" in merged and merged["default"] is not None:
        found.append(("schema default", merged["default"]))
    return found


def _unique(found: list[Example]) -> list[Example]:
    seen: set[str] = set()
    result: list[Example] = []
    for label, value in found:
        key = json.dumps(value, sort_keys=True, default=repr)
        if key not in seen:
            seen.add(key)
            result.append((label, value))
    return result


def example_cases(operation: Operation, spec: Spec, factory: ValueFactory) -> Iterator[Case]:
    """The cases of the examples phase for `operation` (all positive)."""
    factory = factory.fork(f"examples:{operation.label}")
    seen: set[str] = set()
    for case in _all_cases(operation, factory):
        key = json.dumps(case.to_dict(), sort_keys=True, default=repr)
        if key not in seen:
            seen.add(key)
            yield case


def _all_cases(operation: Operation, factory: ValueFactory) -> Iterator[Case]:
    try:
        required = Baseline.build(operation, factory, optional=False)
        full = Baseline.build(operation, factory, optional=True)
    except UnsatisfiableSchema:
        return
    for case in _example_cases(operation, full, factory):
        yield _own_key(case, operation, factory)
    yield _own_key(
        required.case(phase=_PHASE, note="generated: required parameters"), operation, factory
    )
    yield _own_key(full.case(phase=_PHASE, note="generated: every parameter"), operation, factory)
    for media in other_media(operation, factory.reader):
        for case in _media_cases(full, media, factory):
            yield _own_key(case, operation, factory)
    for accept in _other_responses(operation):
        case = full.case(phase=_PHASE, note=f"generated: Accept {accept}")
        case.headers["Accept"] = accept
        yield _own_key(case, operation, factory)


def _media_cases(base: Baseline, media: MediaType, factory: ValueFactory) -> Iterator[Case]:
    """The examples of one more media type of the body, then a generated body in it."""
    try:
        other = base.for_media(media, factory)
    except UnsatisfiableSchema:
        return
    for label, value in examples_of(media, factory):
        case = other.case(phase=_PHASE, note=f"body as {media.media_type}: {label}")
        case.body = value
        yield _judged(case, factory, media, value)
    yield other.case(phase=_PHASE, note=f"generated: body as {media.media_type}")


def _other_responses(operation: Operation) -> list[str]:
    """The media types of the first documented 2xx response after its first one."""
    for status, response in operation.responses.items():
        if status.startswith("2") and response.content:
            return [m for m in list(response.content)[1:] if "*" not in m]
    return []


def _own_key(case: Case, operation: Operation, factory: ValueFactory) -> Case:
    """`case` with an ``Idempotency-Key`` of its own (the first case keeps the baseline's).

    The cases share the baseline's key, and a server rightly refuses a key used again
    with another body: the later examples would never reach the handler.
    """
    param = operation.parameter(_IDEMPOTENCY, "header")
    value = case.headers.get(param.name) if param is not None else None
    if param is None or value is None or case.note == _FIRST:
        return case
    fresh = f"{value}-{zlib.crc32(str(case.note).encode()):08x}"
    if factory.checker.is_valid(param.schema or {"type": "string"}, fresh):
        case.headers[param.name] = fresh
    return case


def _example_cases(operation: Operation, base: Baseline, factory: ValueFactory) -> Iterator[Case]:
    params = {p.key: examples_of(p, factory) for p in generated_parameters(operation)}
    media = body_media(operation)
    bodies = examples_of(media, factory) if media is not None else []
    if not any(params.values()) and not bodies and not _has_property_examples(media, factory):
        return
    first = _first_examples(operation, base, params, bodies, factory)
    yield first
    for param in generated_parameters(operation):
        for label, value in params[param.key][1:]:
            case = _copy_case(first, f"{param.location} {param.name}: {label}")
            place(case, param, value)
            yield _judged(case, factory, param, value)
    if media is None:
        return
    for label, value in bodies[1:]:
        case = _copy_case(first, f"body: {label}")
        case.body = value
        yield _judged(case, factory, media, value)


def _first_examples(
    operation: Operation,
    base: Baseline,
    params: dict[tuple[ParameterLocation, str], list[Example]],
    bodies: list[Example],
    factory: ValueFactory,
) -> Case:
    case = base.case(phase=_PHASE, note=_FIRST)
    judged = case
    for param in generated_parameters(operation):
        if params[param.key]:
            value = params[param.key][0][1]
            place(case, param, value)
            judged = _judged(judged, factory, param, value)
    media = body_media(operation)
    if media is not None and bodies:
        case.body = bodies[0][1]
        judged = _judged(judged, factory, media, case.body)
    elif media is not None and isinstance(case.body, dict):
        case.body = _with_property_examples(media, case.body, factory)
    return judged


def _judged(case: Case, factory: ValueFactory, holder: Parameter | MediaType, value: Any) -> Case:
    """`case`, made an edge case when `value` does not match the holder's schema."""
    if holder.schema is None or factory.checker.is_valid(holder.schema, value):
        return case
    case.edge = True
    case.note = f"{case.note} (the example does not match its schema)"
    return case


def _copy_case(case: Case, note: str) -> Case:
    copied = Case(
        case.operation,
        path_parameters=dict(case.path_parameters),
        query=dict(case.query),
        headers=dict(case.headers),
        cookies=dict(case.cookies),
        body=case.body,
        media_type=case.media_type,
        phase=_PHASE,
        note=note,
    )
    copied.edge = case.edge  # an invalid example in the shared parts stays in the copy
    return copied


def _property_examples(media: MediaType, factory: ValueFactory) -> dict[str, Any]:
    node = factory.reader.node(media.schema or {})
    found: dict[str, Any] = {}
    for name, schema in node.properties.items():
        examples = _schema_examples(schema, factory)
        if examples and not factory.reader.is_read_only(schema):
            found[name] = examples[0][1]
    return found


def _has_property_examples(media: MediaType | None, factory: ValueFactory) -> bool:
    return media is not None and bool(_property_examples(media, factory))


def _with_property_examples(
    media: MediaType, body: dict[str, Any], factory: ValueFactory
) -> dict[str, Any]:
    """The generated body with each property example swapped in while it stays valid."""
    result = dict(body)
    for name, value in _property_examples(media, factory).items():
        candidate = {**result, name: value}
        if factory.checker.is_valid(media.schema, candidate):
            result = candidate
    return result
