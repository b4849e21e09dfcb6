"""The negative targets of one operation: the parts a negative fuzz case may break.

A `Target` is a parameter, a body field at a pointer, or the body as a whole, with the
invalid values to break it with: the boundary phase's invalid variants (never its edge
values) and the bounds beyond which out-of-range integers are drawn. They are found
from one complete valid request (every optional part filled).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Any

from assay.generation.baseline import Baseline, is_file
from assay.generation.cases import UNSET
from assay.generation.edges import MISSING, Carrier, Edges, Variant, number_text
from assay.generation.payloads import concrete_node, fields, raw_variants
from assay.generation.values import UnsatisfiableSchema, ValueFactory
from assay.generation.walk import limits
from assay.spec.model import MediaType, Operation, Parameter, escape_pointer_token

__all__ = ["Target", "first_outside", "negative_targets", "out_of_range"]


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


def negative_targets(
    operation: Operation, media: MediaType | None, factory: ValueFactory, *, body_only: bool
) -> list[Target]:
    """The targets of `operation` with its body in `media` (see `_Targets`)."""
    return _Targets(operation, media, factory, body_only=body_only).all()


class _Targets:
    """The negative targets of one operation, from a complete valid request.

    `body_only` for another media type's plan (the parameters are the first plan's).
    A CSV body has one target: the whole body missing (its rows cannot be judged).
    """

    def __init__(
        self,
        operation: Operation,
        media: MediaType | None,
        factory: ValueFactory,
        *,
        body_only: bool = False,
    ):
        self.operation = operation
        self.media = media
        self.factory = factory
        self.edges = Edges(factory.rng)
        self.body_only = body_only

    def all(self) -> list[Target]:
        try:
            base = Baseline.build(self.operation, self.factory, optional=True)
            if self.media is not None and base.media is not self.media:
                base = base.for_media(self.media, self.factory)
        except UnsatisfiableSchema:
            return []
        found: list[Target] = []
        if not self.body_only:
            found = [t for p, v in base.parameters() if (t := self._parameter(p, v)) is not None]
        if self.media is not None and base.body is not UNSET:
            found.extend(self._body(self.media, base.body, base.layout is not None))
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

    def _body(self, media: MediaType, body: Any, csv: bool) -> list[Target]:
        found: list[Target] = []
        required = self.operation.request_body is not None and self.operation.request_body.required
        if required and not self.body_only:
            found.append(Target("body", (Variant(MISSING, "negative", "no body", 0),)))
        if csv:
            return found
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
