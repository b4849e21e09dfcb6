"""What the fuzz phase draws for one operation: whole requests, and one-part mutations.

A `FuzzPlan` holds the hypothesis strategy of an operation's requests and turns each
drawn value into a `Case`, or None when the draw does not deserve its kind (a positive
draw the validator rejects, a mutation the validator accepts, a mutated field whose
parent the draw left out). Negative plans pick one `Target` (a parameter, a body field
at a pointer, or the body as a whole) and one invalid value for it: range values drawn
by hypothesis (so they shrink to the bound: ``11`` for ``maximum: 10``), or the
boundary phase's invalid variants. Plans are cached per (document, operation, kind).
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from assay.generation.baseline import (
    Baseline,
    as_files,
    body_media,
    body_value,
    generated_parameters,
    is_file,
    place,
    remove,
    sendable,
)
from assay.generation.cases import UNSET, Case
from assay.generation.edges import MISSING, Carrier, Edges, Variant, number_text
from assay.generation.payloads import concrete_node, fields, raw_variants, set_at
from assay.generation.values import UnsatisfiableSchema, ValueFactory
from assay.generation.walk import limits
from assay.spec.model import MediaType, Operation, Parameter, Spec, escape_pointer_token

__all__ = ["FuzzPlan", "Target", "first_outside", "key_of", "not_empty", "out_of_range", "plan_for"]

Kind = Literal["positive", "negative"]
_CACHE_LIMIT = 4096
_FACTORIES: dict[int, tuple[Spec, ValueFactory]] = {}
_PLANS: dict[tuple[int, str, str], tuple[Spec, FuzzPlan | None]] = {}


@dataclass(frozen=True, slots=True)
class Target:
    """One part a negative case may break, and the invalid values to break it with.

    `variants` are fixed invalid values; `ranges` are (bound, direction) pairs from
    which out-of-range integers are drawn (``direction`` -1: below, +1: above).
    """

    where: str
    variants: tuple[Variant, ...] = ()
    ranges: tuple[tuple[float, int], ...] = ()
    param: Parameter | None = None
    path: tuple[str | int, ...] | None = None
    raw: tuple[bytes, str] | None = None

    def sample(self, rng: random.Random) -> Variant:
        """One invalid value, picked by `rng`."""
        pick = rng.randrange(len(self.variants) + len(self.ranges))
        if pick < len(self.variants):
            return self.variants[pick]
        bound, direction = self.ranges[pick - len(self.variants)]
        distance = rng.choice((0, 0, 1, rng.randint(2, 1000), rng.randint(1000, 10**9)))
        return out_of_range(
            bound, direction, first_outside(bound, direction) + direction * distance
        )


@dataclass(slots=True)
class FuzzPlan:
    """The strategy of one operation's requests and how a draw becomes a `Case`."""

    operation: Operation
    kind: Kind
    factory: ValueFactory
    media: MediaType | None
    targets: list[Target] = field(default_factory=list)
    _strategy: Any = None

    @property
    def strategy(self) -> Any:
        """The hypothesis strategy of this plan's draws (built on first use, then kept).

        Positive plans draw ``{"params": {...}, "body": ...}``; negative plans draw a pair
        of that and ``(target index, invalid Variant)``.
        """
        if self._strategy is None:
            from assay.generation.strategies import request_strategy

            self._strategy = request_strategy(self)
        return self._strategy

    def case(self, drawn: Any) -> Case | None:
        """The case for a drawn value, or None when it does not deserve its kind."""
        if self.kind == "positive":
            return self._positive(drawn)
        parts, (index, variant) = drawn
        return self._negative(parts, self.targets[index], variant)

    def _base(self, parts: dict[str, Any]) -> Case | None:
        case = Case(self.operation, phase="fuzz", kind=self.kind)
        checker = self.factory.checker
        for param in generated_parameters(self.operation):
            value = parts["params"].get(key_of(param), MISSING)
            if value is MISSING:
                continue
            if not checker.is_valid(param.schema or {}, value):
                return None
            place(case, param, value)
        body = parts["body"]
        if self.media is not None and body is not UNSET:
            if not checker.is_valid(self.media.schema or {}, body):
                return None
            case.body = as_files(self.media, body, self.factory.reader)
            case.media_type = self.media.media_type
        return case

    def _positive(self, parts: dict[str, Any]) -> Case | None:
        return self._base(parts)

    def sample(self, seed: int, index: int) -> Case | None:
        """Case number `index` of a run seeded `seed`, made without hypothesis (fast)."""
        negative = self.kind == "negative"
        factory = self.factory.fork(f"fuzz:{seed}:{index}", complete=negative, wild=True)
        parts = _sampled_parts(self.operation, self.media, factory, complete=negative)
        if parts is None:
            return None
        if not negative:
            return self._positive(parts)
        target = factory.rng.choice(self.targets)
        return self._negative(parts, target, target.sample(factory.rng))

    def smaller(self, case: Case) -> Iterator[Case]:
        """`case` without one optional parameter or top-level body property, each in turn.

        Candidates keep the case's kind: a negative case keeps its broken part.
        """
        broken = (case.mutation or "").split(":", 1)[0]
        for param in generated_parameters(self.operation):
            where = f"{param.location}/{param.name}"
            if not param.required and where != broken and _holds(case, param):
                candidate = replace(case, query=dict(case.query), headers=dict(case.headers))
                candidate.cookies = dict(case.cookies)
                remove(candidate, param)
                yield candidate
        yield from self._smaller_bodies(case, broken)

    def _smaller_bodies(self, case: Case, broken: str) -> Iterator[Case]:
        if self.media is None or not isinstance(case.body, dict):
            return
        node = self.factory.reader.node(self.media.schema or {})
        for name in list(case.body):
            if name in node.required or broken.startswith(f"body/{name}"):
                continue
            body = {k: v for k, v in case.body.items() if k != name}
            valid = self.factory.checker.is_valid(self.media.schema or {}, body)
            if valid == (case.kind == "positive"):
                yield replace(case, body=body)

    def _negative(self, parts: dict[str, Any], target: Target, variant: Variant) -> Case | None:
        case = self._base(parts)
        if case is None or not self._break(case, target, variant):
            return None
        case.mutation = f"{target.where}: {variant.label}"
        case.note = f"fuzz: {case.mutation}"
        return case

    def _break(self, case: Case, target: Target, variant: Variant) -> bool:
        checker = self.factory.checker
        if target.param is not None:
            if variant.value is MISSING:
                remove(case, target.param)
                return True
            if not sendable(variant.value, target.param):
                return False
            if checker.is_valid(target.param.schema or {}, variant.value):
                return False
            place(case, target.param, variant.value)
            return True
        if target.raw is not None:
            case.body, case.raw_body, case.media_type = UNSET, target.raw[0], target.raw[1]
            return True
        if target.path is None:  # the body as a whole is missing
            case.body, case.media_type = UNSET, None
            return True
        return self._break_body(case, target.path, variant)

    def _break_body(self, case: Case, path: tuple[str | int, ...], variant: Variant) -> bool:
        if self.media is None or case.body is UNSET or not _has_parent(case.body, path):
            return False
        gone = variant.value is MISSING
        body = set_at(case.body, path, None if gone else variant.value, remove=gone)
        if body is None or self.factory.checker.is_valid(self.media.schema or {}, body):
            return False
        case.body = body
        return True


def _sampled_parts(
    operation: Operation, media: MediaType | None, factory: ValueFactory, *, complete: bool
) -> dict[str, Any] | None:
    """Valid parameter values (optional ones at random) and a body, from `factory`."""
    params: dict[str, Any] = {}
    try:
        for param in generated_parameters(operation):
            if param.required or complete or factory.rng.random() < 0.5:
                params[key_of(param)] = factory.for_parameter(param)
        body = body_value(media, factory) if media is not None else UNSET
    except UnsatisfiableSchema:
        return None
    return {"params": params, "body": body}


def _holds(case: Case, param: Parameter) -> bool:
    holder = {"path": case.path_parameters, "query": case.query, "header": case.headers}
    return param.name in holder.get(param.location, case.cookies)


def not_empty(value: Any) -> bool:
    return value not in ("", [], {})


def key_of(param: Parameter) -> str:
    return f"{param.location}:{param.name}"


def _has_parent(body: Any, path: tuple[str | int, ...]) -> bool:
    """True when every step of `path` but the last exists in `body`, and the last can be set."""
    node = body
    for token in path[:-1]:
        node = _child(node, token)
        if node is MISSING:
            return False
    if isinstance(node, dict):
        return path[-1] in node
    return isinstance(node, list) and bool(node)


def _child(node: Any, token: str | int) -> Any:
    if isinstance(node, dict):
        return node.get(str(token), MISSING)
    if isinstance(node, list) and isinstance(token, int) and token < len(node):
        return node[token]
    return MISSING


def plan_for(spec: Spec, operation: Operation, kind: Kind) -> FuzzPlan | None:
    """The (cached) plan of `operation`; None when it has nothing to vary for `kind`."""
    key = (id(spec), operation.pointer, kind)
    cached = _PLANS.get(key)
    if cached is not None and cached[0] is spec:
        return cached[1]
    if len(_PLANS) > _CACHE_LIMIT:
        _PLANS.clear()
        _FACTORIES.clear()
    plan = _build(spec, operation, kind)
    _PLANS[key] = (spec, plan)
    return plan


def _factory(spec: Spec) -> ValueFactory:
    cached = _FACTORIES.get(id(spec))
    if cached is None or cached[0] is not spec:
        cached = (spec, ValueFactory(spec, 0))
        _FACTORIES[id(spec)] = cached
    return cached[1]


def _build(spec: Spec, operation: Operation, kind: Kind) -> FuzzPlan | None:
    factory = _factory(spec)
    media = body_media(operation)
    if kind == "positive":
        return FuzzPlan(operation, kind, factory, media)
    targets = _Targets(operation, media, factory.fork(operation.label, complete=True)).all()
    if not targets:
        return None
    return FuzzPlan(operation, kind, factory, media, targets)


class _Targets:
    """The negative targets of one operation, from a complete valid request."""

    def __init__(self, operation: Operation, media: MediaType | None, factory: ValueFactory):
        self.operation = operation
        self.media = media
        self.factory = factory
        self.edges = Edges(factory.rng)

    def all(self) -> list[Target]:
        try:
            base = Baseline.build(self.operation, self.factory, optional=True)
        except UnsatisfiableSchema:
            return []
        found = [t for p, v in base.parameters() if (t := self._parameter(p, v)) is not None]
        if self.media is not None and base.body is not UNSET:
            found.extend(self._body(self.media, base.body))
        return found

    def _negatives(self, schema: Any, carrier: Carrier, value: Any) -> list[Variant]:
        f = self.factory
        node = concrete_node(schema, value, f.reader, f.checker, f.composer)
        return [
            v
            for v in self.edges.variants(node, carrier, value)
            if v.kind == "negative" and not v.edge
        ]

    def _parameter(self, param: Parameter, value: Any) -> Target | None:
        carrier: Carrier = "json" if param.content_type else "text"
        variants = self._negatives(param.schema or {}, carrier, value)
        if param.required and param.location != "path":
            variants.append(Variant(MISSING, "negative", "the required parameter is missing", 0))
        ranges = _ranges(self.factory, param.schema or {})
        if not variants and not ranges:
            return None
        where = f"{param.location}/{param.name}"
        return Target(where, tuple(variants), ranges, param=param)

    def _body(self, media: MediaType, body: Any) -> list[Target]:
        found: list[Target] = []
        required = self.operation.request_body is not None and self.operation.request_body.required
        if required:
            found.append(Target("body", (Variant(MISSING, "negative", "no body", 0),)))
        f = self.factory
        for item in fields(media.schema or {}, body, f.reader, f.checker, f.composer):
            if not media.is_json and (len(item.path) > 1 or is_file(item.schema, f.reader)):
                continue  # forms are flat, and a file's bytes are not varied
            variants = self._negatives(item.schema, "json" if media.is_json else "text", item.value)
            if item.path and item.required:
                variants.append(Variant(MISSING, "negative", "a required property is missing", 0))
            ranges = _ranges(f, item.schema)
            if (variants or ranges) and item.path:
                where = "body" + "".join("/" + escape_pointer_token(str(t)) for t in item.path)
                found.append(Target(where, tuple(variants), ranges, path=item.path))
        if media.is_json:
            root = concrete_node(media.schema or {}, body, f.reader, f.checker, f.composer)
            for raw in raw_variants(self.operation, media.media_type, body, root, None):
                if raw.variant.kind == "negative" and not raw.variant.edge:
                    target = Target("body", (raw.variant,), raw=(raw.content, raw.media_type))
                    found.append(target)
        return found


def _ranges(factory: ValueFactory, schema: Any) -> tuple[tuple[float, int], ...]:
    """The bounds out-of-range integers can be drawn beyond (format ranges excluded)."""
    node = factory.reader.node(schema)
    if node.enum is not None or not ({"integer", "number"} & set(node.types)):
        return ()
    lim = limits(node)
    found: list[tuple[float, int]] = []
    if lim.low is not None and not lim.format_low:
        found.append((lim.low, -1))
    if lim.high is not None and not lim.format_high:
        found.append((lim.high, 1))
    return tuple(found)


def first_outside(bound: float, direction: int) -> int:
    """The nearest integer beyond `bound` (an exclusive bound itself is checked later)."""
    return math.floor(bound) - 1 if direction < 0 else math.ceil(bound) + 1


def out_of_range(bound: float, direction: int, value: int) -> Variant:
    side = "below the minimum" if direction < 0 else "above the maximum"
    return Variant(value, "negative", f"{value} is {side} {number_text(bound)}", 0)
