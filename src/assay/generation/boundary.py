"""The boundary phase: deterministic edge and invalid values for every parameter and field.

From one valid request (every optional part filled), each case changes exactly one
thing: a parameter, a body field (``body/lines/0/qty``), the whole body's bytes or its
Content-Type. Values come from `Edges`; before a case is handed out its changed part is
checked against the schema with the document's validator, and a case whose verdict
disagrees with its kind is dropped, so a negative case always truly violates the
contract (and a positive one truly conforms). Edge cases (`Case.edge`) carry the
validator's verdict as their kind. Cases are ordered most valuable first (missing
required parts, wrong types and out-of-range values, then enums, formats and raw-body
variants, then exact bounds, then unicode and size extremes), one value per field in
turn, and capped at `max_cases`. A body in another media type the operation takes
(`other_media`) is varied the same way from a baseline of its own, in the same order;
a CSV body with a known row schema gets the variants of `assay.generation.csv_variants`
instead of field values.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from assay.generation.baseline import Baseline, is_file, other_media, place, remove, sendable
from assay.generation.cases import UNSET, Case, CaseKind
from assay.generation.csv_bodies import CsvLayout
from assay.generation.csv_variants import CsvVariant, csv_variants
from assay.generation.edges import MISSING, Carrier, Edges, Variant
from assay.generation.payloads import ONE_MIB, Field, concrete_node, fields, raw_variants, set_at
from assay.generation.values import UnsatisfiableSchema, ValueFactory
from assay.spec.model import MediaType, Operation, Parameter, Spec, escape_pointer_token

__all__ = ["DEFAULT_MAX_CASES", "boundary_cases"]

DEFAULT_MAX_CASES = 200
_PHASE = "boundary"


@dataclass(order=True, slots=True)
class _Plan:
    tier: int
    turn: int
    target: int
    build: Callable[[], Case | None] = field(compare=False)


def boundary_cases(
    operation: Operation,
    spec: Spec,
    factory: ValueFactory,
    *,
    max_cases: int = DEFAULT_MAX_CASES,
) -> Iterator[Case]:
    """At most `max_cases` boundary cases for `operation`, the most valuable first."""
    factory = factory.fork(f"boundary:{operation.label}", complete=True)
    try:
        base = Baseline.build(operation, factory, optional=True)
    except UnsatisfiableSchema:
        return
    planners = [_Planner(operation, base, factory)]
    for media in other_media(operation, factory.reader):
        try:
            planners.append(_Planner(operation, base.for_media(media, factory), factory, True))
        except UnsatisfiableSchema:
            continue
    emitted: set[str] = set()
    for plan in sorted(p for planner in planners for p in planner.plans()):
        if len(emitted) >= max_cases:
            return
        case = plan.build()
        if case is None:
            continue
        key = json.dumps(case.to_dict(), sort_keys=True, default=repr)
        if key not in emitted:
            emitted.add(key)
            yield case


class _Planner:
    """The plans of one baseline; `body_only` for another media type's (its parameters
    and the missing body are the first planner's)."""

    def __init__(
        self, operation: Operation, base: Baseline, factory: ValueFactory, body_only: bool = False
    ) -> None:
        self.operation = operation
        self.base = base
        self.factory = factory
        self.edges = Edges(factory.rng)
        self.targets = 0
        self.body_only = body_only

    def plans(self) -> Iterator[_Plan]:
        if not self.body_only:
            for param, value in self.base.parameters():
                yield from self._parameter(param, value)
        media = self.base.media
        if media is not None and self.base.body is not UNSET:
            yield from self._body(media)

    def _plan(
        self, variants: list[Variant], build: Callable[[Variant], Case | None]
    ) -> Iterator[_Plan]:
        self.targets += 1
        for turn, variant in enumerate(variants):
            yield _Plan(variant.tier, turn, self.targets, partial(build, variant))

    # Parameters ---------------------------------------------------------------------------

    def _parameter(self, param: Parameter, value: Any) -> Iterator[_Plan]:
        carrier: Carrier = "json" if param.content_type is not None else "text"
        f = self.factory
        node = concrete_node(param.schema or {}, value, f.reader, f.checker, f.composer)
        variants = list(self.edges.variants(node, carrier, value))
        if param.required and param.location != "path":
            variants.insert(0, Variant(MISSING, "negative", "the required parameter is missing", 0))
        items = node.get("items")
        if "array" in node.types and isinstance(items, dict) and isinstance(value, list):
            item_node = self.factory.reader.node(items)
            for v in self.edges.variants(item_node, carrier, value[0] if value else None):
                variants.append(Variant([v.value], v.kind, f"an item: {v.label}", v.tier, v.edge))
        yield from self._plan(variants, lambda v: self._parameter_case(param, v))

    def _parameter_case(self, param: Parameter, variant: Variant) -> Case | None:
        where = f"{param.location}/{param.name}"
        case = self.base.case(phase=_PHASE)
        if variant.value is MISSING:
            remove(case, param)
            return _labelled(case, variant, "negative", where)
        if not sendable(variant.value, param):
            return None
        valid = self.factory.checker.is_valid(param.schema or {}, variant.value)
        kind = _verdict(variant, valid)
        if kind is None:
            return None
        place(case, param, variant.value)
        return _labelled(case, variant, kind, where)

    # Body ---------------------------------------------------------------------------------

    def _body(self, media: MediaType) -> Iterator[_Plan]:
        body_required = (
            self.operation.request_body is not None and self.operation.request_body.required
        )
        if body_required and not self.body_only:
            missing = Variant(MISSING, "negative", "the required request body is missing", 0)
            yield from self._plan([missing], self._no_body)
        if self.base.layout is not None:
            yield from self._csv(self.base.layout, body_required)
            return
        schema = media.schema or {}
        form = not media.is_json
        reader, checker, composer = self.factory.reader, self.factory.checker, self.factory.composer
        string_path: tuple[str | int, ...] | None = None
        for found in fields(schema, self.base.body, reader, checker, composer):
            if form and (len(found.path) > 1 or (found.path and is_file(found.schema, reader))):
                continue  # forms are flat, and a file's bytes are not varied
            if string_path is None and isinstance(found.value, str):
                string_path = found.path
            yield from self._field(media, found, "text" if form else "json")
        if media.is_json:
            root = concrete_node(schema, self.base.body, reader, checker, composer)
            raws = list(
                raw_variants(self.operation, media.media_type, self.base.body, root, string_path)
            )
            for raw in raws:
                yield from self._plan(
                    [raw.variant], partial(self._raw_case, raw.content, raw.media_type)
                )
            yield from self._oversized(media, string_path)

    def _field(self, media: MediaType, found: Field, carrier: Carrier) -> Iterator[_Plan]:
        f = self.factory
        concrete = concrete_node(found.schema, found.value, f.reader, f.checker, f.composer)
        variants = list(self.edges.variants(concrete, carrier, found.value))
        if found.path and found.required:
            variants.insert(0, Variant(MISSING, "negative", "a required property is missing", 0))
        if isinstance(found.value, dict):
            variants.extend(_extra_property(concrete, found.value))
        if not media.is_json:
            variants = [v for v in variants if v.value != "" or found.required]
        yield from self._plan(variants, lambda v: self._body_case(media, found, v))

    def _body_case(self, media: MediaType, found: Field, variant: Variant) -> Case | None:
        remove_it = variant.value is MISSING
        body = set_at(
            self.base.body, found.path, None if remove_it else variant.value, remove=remove_it
        )
        valid = self.factory.checker.is_valid(media.schema or {}, body)
        kind = _verdict(variant, valid)
        if kind is None:
            return None
        where = "body" + "".join("/" + escape_pointer_token(str(t)) for t in found.path)
        case = self.base.case(phase=_PHASE)
        if body is None:
            return self._raw_case(b"null", media.media_type, variant, kind=kind)
        case.body = body
        return _labelled(case, variant, kind, where)

    def _csv(self, layout: CsvLayout, body_required: bool) -> Iterator[_Plan]:
        groups = csv_variants(
            layout, self.base.rows, self.factory, self.edges, body_required=body_required
        )
        for group in groups:
            self.targets += 1
            for turn, found in enumerate(group):
                build = partial(self._csv_case, layout, found)
                yield _Plan(found.variant.tier, turn, self.targets, build)

    def _csv_case(self, layout: CsvLayout, found: CsvVariant) -> Case:
        case = self.base.case(phase=_PHASE)
        if isinstance(found.content, bytes):
            case.body, case.raw_body = UNSET, found.content
        else:
            case.body = found.content
        case.media_type = layout.media.media_type
        return _labelled(case, found.variant, found.variant.kind, found.where)

    def _no_body(self, variant: Variant) -> Case:
        case = self.base.case(phase=_PHASE)
        case.body = UNSET
        case.media_type = None
        return _labelled(case, variant, "negative", "body")

    def _raw_case(
        self, content: bytes, media_type: str, variant: Variant, kind: CaseKind | None = None
    ) -> Case | None:
        case = self.base.case(phase=_PHASE)
        case.body = UNSET
        case.raw_body = content
        case.media_type = media_type
        return _labelled(case, variant, kind or variant.kind, "body")

    def _oversized(
        self, media: MediaType, string_path: tuple[str | int, ...] | None
    ) -> Iterator[_Plan]:
        body = self.base.body
        if string_path is None and not isinstance(body, dict):
            return
        path: tuple[str | int, ...] = string_path if string_path is not None else ("padding",)
        huge = "x" * (ONE_MIB + 1)
        variant = Variant(huge, "positive", "an oversized body (over 1 MiB)", 3, edge=True)

        def build(v: Variant) -> Case | None:
            grown = set_at(body, path, v.value) if string_path else {**body, "padding": v.value}
            valid = self.factory.checker.is_valid(media.schema or {}, grown)
            case = self.base.case(phase=_PHASE, note="oversized")
            case.body = grown
            bounded = Variant(v.value, "negative", v.label, v.tier)
            return _labelled(
                case, v if valid else bounded, "positive" if valid else "negative", "body"
            )

        yield from self._plan([variant], build)


def _extra_property(node: Any, value: dict[str, Any]) -> Iterator[Variant]:
    extra = node.get("additionalProperties")
    name = "unexpected_property"
    while name in value:
        name += "_x"
    grown = {**value, name: "surprise"}
    if extra is False:
        yield Variant(grown, "negative", f"an undeclared property {name!r}", 1)
    elif extra is None or extra is True:
        yield Variant(grown, "positive", f"an undeclared property {name!r}", 3, edge=True)


def _verdict(variant: Variant, valid: bool) -> CaseKind | None:
    """The case's kind: the validator's verdict for edges; None when it contradicts a plan."""
    if variant.edge:
        return "positive" if valid else "negative"
    if valid != (variant.kind == "positive"):
        return None
    return variant.kind


def _labelled(case: Case, variant: Variant, kind: CaseKind, where: str) -> Case:
    case.kind = kind
    case.edge = variant.edge
    described = f"{where}: {variant.label}"
    case.mutation = described if kind == "negative" else None
    case.note = f"{_PHASE}: {described}" if case.note is None else f"{case.note}: {described}"
    return case
