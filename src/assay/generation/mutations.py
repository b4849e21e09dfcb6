"""What the fuzz phase draws for one operation: whole requests, and one-part mutations.

A `FuzzPlan` holds the hypothesis strategy of an operation's requests and turns each
drawn value into a `Case`, or None when the draw does not deserve its kind (a positive
draw the validator rejects, a mutation the validator accepts, a mutated field whose
parent the draw left out). Negative plans pick one `Target` (a parameter, a body field
at a pointer, or the body as a whole) and one invalid value for it: range values drawn
by hypothesis (so they shrink to the bound: ``11`` for ``maximum: 10``), or the
boundary phase's invalid variants. Plans are cached per (document, operation, kind,
media type): a body the operation also takes in another media type (`other_media`) gets
plans of its own. A CSV body with a known row schema is drawn as rows and written as
CSV text (`CsvLayout`); it has positive plans only, since the spec cannot judge CSV.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from assay.generation.baseline import (
    as_files,
    body_media,
    body_value,
    generated_parameters,
    other_media,
    place,
    remove,
    sendable,
)
from assay.generation.cases import UNSET, Case
from assay.generation.csv_bodies import CsvLayout, any_cell, csv_layout
from assay.generation.edges import MISSING, Variant
from assay.generation.payloads import set_at
from assay.generation.targets import Target, negative_targets
from assay.generation.values import UnsatisfiableSchema, ValueFactory
from assay.spec.model import MediaType, Operation, Parameter, Spec

__all__ = ["FuzzPlan", "fuzzed_media", "key_of", "not_empty", "plan_for"]

Kind = Literal["positive", "negative"]
_CACHE_LIMIT = 4096
_FACTORIES: dict[int, tuple[Spec, ValueFactory]] = {}
_PLANS: dict[tuple[int, str, str, str], tuple[Spec, FuzzPlan | None]] = {}


@dataclass(slots=True)
class FuzzPlan:
    """The strategy of one operation's requests and how a draw becomes a `Case`."""

    operation: Operation
    kind: Kind
    factory: ValueFactory
    media: MediaType | None
    targets: list[Target] = field(default_factory=list)
    layout: CsvLayout | None = None
    """For a CSV body: draws hold its rows, written as CSV text into the case."""
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
            if self.layout is not None:
                if not self.layout.holds(body, checker):
                    return None
                body = self.layout.text(body)
            elif not checker.is_valid(self.media.schema or {}, body):
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
        parts = _sampled_parts(self, factory, complete=negative)
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
    plan: FuzzPlan, factory: ValueFactory, *, complete: bool
) -> dict[str, Any] | None:
    """Valid parameter values (optional ones at random) and a body, from `factory`."""
    params: dict[str, Any] = {}
    media = plan.media
    try:
        for param in generated_parameters(plan.operation):
            if param.required or complete or factory.rng.random() < 0.5:
                params[key_of(param)] = factory.for_parameter(param)
        if plan.layout is not None:
            body: Any = plan.layout.sample(factory, 1 + factory.rng.randrange(3), any_cell)
        else:
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


def plan_for(
    spec: Spec, operation: Operation, kind: Kind, media: MediaType | None = None
) -> FuzzPlan | None:
    """The (cached) plan of `operation` with its body in `media` (default: `body_media`);
    None when it has nothing to vary for `kind`."""
    key = (id(spec), operation.pointer, kind, media.media_type if media else "")
    cached = _PLANS.get(key)
    if cached is not None and cached[0] is spec:
        return cached[1]
    if len(_PLANS) > _CACHE_LIMIT:
        _PLANS.clear()
        _FACTORIES.clear()
    plan = _build(spec, operation, kind, media)
    _PLANS[key] = (spec, plan)
    return plan


def fuzzed_media(spec: Spec, operation: Operation) -> list[MediaType | None]:
    """The media types the fuzz phase writes bodies in: None (`body_media`), then the others."""
    return [None, *other_media(operation, _factory(spec).reader)]


def _factory(spec: Spec) -> ValueFactory:
    cached = _FACTORIES.get(id(spec))
    if cached is None or cached[0] is not spec:
        cached = (spec, ValueFactory(spec, 0))
        _FACTORIES[id(spec)] = cached
    return cached[1]


def _build(
    spec: Spec, operation: Operation, kind: Kind, chosen: MediaType | None
) -> FuzzPlan | None:
    factory = _factory(spec)
    media = chosen or body_media(operation)
    layout = csv_layout(operation, media, factory.reader) if media is not None else None
    if kind == "positive":
        return FuzzPlan(operation, kind, factory, media, layout=layout)
    if chosen is not None and layout is not None:
        return None  # nothing of a CSV body can be judged broken that the first plan lacks
    forked = factory.fork(operation.label, complete=True)
    targets = negative_targets(operation, media, forked, body_only=chosen is not None)
    if not targets:
        return None
    return FuzzPlan(operation, kind, factory, media, targets, layout=layout)
