"""Field declarations of a builder: sequences, derived values, nested lists, related resources.

A builder's `fields` (and its traits and per-call overrides) map a field to a plain
value or to one of these. They are values you compose, not options: a
``Sequence(lambda n: f"SKU-{n:04d}")`` numbers builds, a ``Lazy(lambda o: ...)`` is
computed from the other fields once they are known, ``Many(lines, 2)`` is a list of
objects from another builder, and ``Related(batches, "reference")`` makes (or, in
``create()``, persists) another resource and uses one of its attributes. A builder
given as a field value builds that nested object.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assay.data.builders import Builder

__all__ = ["Lazy", "Many", "Needs", "Related", "Sequence"]


@dataclass(frozen=True, slots=True)
class Sequence:
    """A value made from the build's number: ``Sequence(lambda n: f"SKU-{n:04d}")``.

    `n` counts the builds of one builder from 1 (a fresh ``builders`` fixture, or
    `Builder.reset`, starts again at 1), so values are unique within a test.
    """

    make: Callable[[int], Any]


@dataclass(frozen=True, slots=True)
class Lazy:
    """A value derived from the other fields, computed after them.

    ``Lazy(lambda order: sum(line["qty"] for line in order["lines"]))`` receives the
    object being built (a dict, with every other field already final).
    """

    make: Callable[[dict[str, Any]], Any]


@dataclass(frozen=True, slots=True)
class Many:
    """A list of nested objects from another builder: ``Many(lines, 2)`` or ``(1, 3)``.

    `count` is a number or an inclusive range drawn from the builder's seed; `overrides`
    apply to every item.
    """

    builder: Builder[Any]
    count: int | tuple[int, int] = 1
    overrides: Mapping[str, Any] = field(default_factory=dict)


Overrides = Mapping[str, Any] | Callable[[dict[str, Any]], Mapping[str, Any]]


@dataclass(frozen=True, slots=True)
class Related:
    """An attribute of another resource that must exist: ``Related(customers, "id")``.

    ``build()`` builds the related resource; ``create()`` creates it through its own
    builder's sink first, so the value (an id the server assigned, say) is real.
    `overrides` is a mapping, or a function of the object being built that returns one.
    """

    builder: Builder[Any]
    attribute: str | None = None
    overrides: Overrides = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Needs:
    """Resources another resource needs before it can be created (stock for an order).

    `using` maps the built data to the overrides of each needed resource, e.g.
    ``lambda order: [{"sku": line["sku"]} for line in order["lines"]]``; they are
    created through `builder`'s sink before the resource itself.
    """

    builder: Builder[Any]
    using: Callable[[dict[str, Any]], list[Mapping[str, Any]] | Mapping[str, Any]]


def attribute_of(resource: Any, name: str | None) -> Any:
    """`name` of a built or created resource (a dict key or an attribute); all of it if None."""
    if name is None:
        return resource
    if isinstance(resource, Mapping):
        if name not in resource:
            from assay.errors import AssayError

            raise AssayError(
                f"the related resource has no field {name!r}",
                hint=f"Its fields are {', '.join(sorted(map(str, resource)))}.",
            )
        return resource[name]
    return getattr(resource, name)
