"""`Builder`: valid, realistic test data from a schema, with overrides, traits and sinks.

A builder wraps a `SchemaSource` (a pydantic model, a JSON Schema, a spec component or
a SQLAlchemy model) and the generation layer's `ValueFactory`. ``build()`` returns one
object: generated values (chosen by field name and format, every constraint kept),
then the builder's fields, the chosen traits and the call's overrides on top; the
result is checked against the schema once more whenever anything was put on top, so an
override that breaks a constraint is an `AssayError` naming the field and the keyword.
``create()`` builds, creates what the object needs first, and persists it through a
sink. Builders are immutable apart from their sequence counter and random stream:
``with_fields``, ``with_traits``, ``with_sink`` return new ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from assay.data.declarations import Lazy, Many, Needs, Related, Sequence, attribute_of
from assay.data.overrides import Nested, expand, merge, object_schema, refused, unknown_fields
from assay.data.sinks import Sink, as_sink
from assay.data.sources import SchemaSource, model_source, schema_source
from assay.errors import AssayError
from assay.generation.values import UnsatisfiableSchema

__all__ = ["Builder"]

T = TypeVar("T")
M = TypeVar("M")
Traits = str | Iterable[str] | None


@dataclass(slots=True)
class _Pass:
    """One build in progress: whether it is persisted, and the `Lazy` fields left to compute."""

    creating: bool
    deferred: list[tuple[dict[str, Any], str, Lazy]] = field(default_factory=list)


class Builder(Generic[T]):
    """Builds objects of one schema: ``Builder.from_model(Order).build(status="paid")``.

    `fields` are the builder's own declarations (plain values, `Sequence`, `Lazy`,
    `Many`, `Related`, or a nested `Builder`); `traits` are named sets of overrides
    (``trait="refunded"``, or several: ``trait=("paid", "refunded")``); `sink` is where
    ``create()`` persists; `seed` makes it deterministic. Calling a builder builds.
    """

    def __init__(
        self,
        source: SchemaSource[T],
        *,
        seed: int = 0,
        fields: Mapping[str, Any] | None = None,
        traits: Mapping[str, Mapping[str, Any]] | None = None,
        sink: Any = None,
        needs: Iterable[Needs] = (),
        name: str | None = None,
    ) -> None:
        self.source = source
        self.name = name or source.name
        self.seed = seed
        self._fields = self._checked(expand(fields or {}), "its fields")
        self._traits = {
            k: self._checked(expand(v), f"trait {k!r}") for k, v in (traits or {}).items()
        }
        self._sink = sink
        self._needs = tuple(needs)
        self.reset()

    # Construction ----------------------------------------------------------------------

    @classmethod
    def from_model(cls, model: type[M], **options: Any) -> Builder[M]:
        """A builder of a pydantic v2 model; builds validated instances."""
        return Builder(model_source(model), **options)

    @classmethod
    def from_schema(
        cls,
        schema: Mapping[str, Any],
        *,
        name: str = "schema",
        openapi30: bool = False,
        **options: Any,
    ) -> Builder[dict[str, Any]]:
        """A builder of a JSON Schema (``$defs`` resolve; OpenAPI 3.0 with `openapi30`)."""
        return Builder(schema_source(schema, name=name, openapi30=openapi30), **options)

    @classmethod
    def from_table(
        cls, model: type[M], *, related: Mapping[str, Builder[Any]] | None = None, **options: Any
    ) -> Builder[M]:
        """A builder of a SQLAlchemy declarative model, from its columns.

        `related` maps a foreign-key column to the builder of the row it references; the
        column is filled from that row (created first in ``create()``).
        """
        from assay.data.tables import foreign_keys, table_source

        targets = foreign_keys(model)
        declared = {
            column: Related(builder, targets.get(column))
            for column, builder in (related or {}).items()
        }
        fields = {**declared, **options.pop("fields", {})}
        return Builder(table_source(model), fields=fields, **options)

    def _copy(self, **changes: Any) -> Builder[T]:
        options: dict[str, Any] = {
            "seed": self.seed,
            "fields": self._fields,
            "traits": self._traits,
            "sink": self._sink,
            "needs": self._needs,
            "name": self.name,
        }
        return Builder(self.source, **{**options, **changes})

    def with_fields(self, **fields: Any) -> Builder[T]:
        """A copy with more field declarations (``a__b`` reaches nested fields)."""
        return self._copy(fields=merge(self._fields, expand(fields)))

    def with_traits(self, **traits: Mapping[str, Any]) -> Builder[T]:
        """A copy with more named traits: ``with_traits(refunded={"status": "refunded"})``."""
        return self._copy(traits={**self._traits, **traits})

    def with_sink(self, sink: Any) -> Builder[T]:
        """A copy that ``create()``s through `sink` (an `APISink`, a session, a callable)."""
        return self._copy(sink=sink)

    def with_seed(self, seed: int) -> Builder[T]:
        """A copy with its own random stream and sequence, seeded with `seed`."""
        return self._copy(seed=seed)

    def needing(self, builder: Builder[Any], using: Callable[[dict[str, Any]], Any]) -> Builder[T]:
        """A copy whose ``create()`` first creates what `using(data)` lists with `builder`."""
        return self._copy(needs=(*self._needs, Needs(builder, using)))

    def reset(self) -> None:
        """Start the sequence at 1 again and re-seed the random stream."""
        self._count = 0
        self._factory = self.source.factory.fork(f"{self.name}:{self.seed}")

    @property
    def fields(self) -> tuple[str, ...]:
        """The names of the schema's fields."""
        reader = self._factory.reader
        return tuple(reader.node(object_schema(reader, self.source.schema)).properties)

    @property
    def traits(self) -> tuple[str, ...]:
        """The names of the builder's traits."""
        return tuple(self._traits)

    # Building --------------------------------------------------------------------------

    def build(self, trait: Traits = None, **overrides: Any) -> T:
        """One object (a model instance, a mapped object, or a dict for schemas)."""
        return self.source.output(self._assemble(trait, overrides, creating=False))

    __call__ = build

    def data(self, trait: Traits = None, **overrides: Any) -> Any:
        """One object as JSON-ready data (a dict), whatever the source."""
        return self._assemble(trait, overrides, creating=False)

    def build_batch(self, count: int, trait: Traits = None, **overrides: Any) -> list[T]:
        """`count` objects, each with the same traits and overrides."""
        return [self.build(trait, **overrides) for _ in range(count)]

    def create(self, trait: Traits = None, *, sink: Any = None, **overrides: Any) -> Any:
        """Build, create what it needs, persist through the sink; returns the created resource."""
        target = as_sink(sink) if sink is not None else self._default_sink()
        data = self._assemble(trait, overrides, creating=True)
        for need in self._needs:
            wanted = need.using(data)
            for item in [wanted] if isinstance(wanted, Mapping) else wanted:
                need.builder.create(**item)
        return target(self.source.output(data))

    def create_batch(self, count: int, trait: Traits = None, **overrides: Any) -> list[Any]:
        """`count` created resources."""
        return [self.create(trait, **overrides) for _ in range(count)]

    def _default_sink(self) -> Sink:
        if self._sink is None:
            raise AssayError(
                f"the builder {self.name} has no sink to create through",
                hint="Give it one: builder.with_sink(APISink(api, 'createOrder')), a "
                "SQLAlchemy session, or create(sink=repository.add).",
            )
        return as_sink(self._sink)

    # Assembly --------------------------------------------------------------------------

    def _assemble(self, trait: Traits, overrides: Mapping[str, Any], creating: bool) -> Any:
        self._count += 1
        plan, origins = self._plan(trait, overrides)
        value = self._base(plan)
        if not plan:
            return value
        if not isinstance(value, dict):
            value = {}  # a nullable object that came out null: the plan fills it
        state = _Pass(creating)
        self._realize(plan, value, self.source.schema, state)
        for target, key, lazy in state.deferred:
            target[key] = lazy.make(target)
        problems = self._factory.checker.problems(self.source.schema, value)
        if problems:
            raise refused(f"{self.source.describe()}", value, problems, origins)
        return value

    def _plan(
        self, trait: Traits, overrides: Mapping[str, Any]
    ) -> tuple[dict[str, Any], dict[str, str]]:
        layers: list[tuple[str, dict[str, Any]]] = [("the builder's fields", self._fields)]
        for name in [trait] if isinstance(trait, str) else list(trait or ()):
            if name not in self._traits:
                known = ", ".join(self._traits) or "none"
                raise AssayError(
                    f"the builder {self.name} has no trait {name!r}",
                    hint=f"Its traits: {known}. Add one with with_traits({name}={{...}}).",
                )
            layers.append((f"trait {name!r}", self._traits[name]))
        layers.append(("an override", self._checked(expand(overrides), "the overrides")))
        plan: dict[str, Any] = {}
        origins: dict[str, str] = {}
        for origin, layer in layers:
            plan = merge(plan, layer)
            origins.update(dict.fromkeys(layer, origin))
        return plan, origins

    def _checked(self, layer: dict[str, Any], where: str) -> dict[str, Any]:
        reader = self.source.factory.reader
        node = reader.node(object_schema(reader, self.source.schema))
        if layer and not node.properties and "object" not in node.types:
            raise AssayError(
                f"{self.source.describe()} is not an object; it has no fields to override",
                hint="Build it without overrides, or give its whole value yourself.",
            )
        if layer:
            try:
                unknown_fields(self.source.factory.reader, self.source.schema, layer, "")
            except AssayError as exc:
                raise AssayError(
                    f"{self.source.describe()}, {where}: {exc.message}", hint=exc.hint
                ) from None
        return layer

    def _base(self, plan: Mapping[str, Any]) -> Any:
        try:
            return self._factory.valid(self.source.schema)
        except UnsatisfiableSchema:
            return self._by_field(plan)

    def _by_field(self, plan: Mapping[str, Any]) -> dict[str, Any]:
        """Field by field, to name the field no value was found for (or skip given ones)."""
        reader = self._factory.reader
        node = reader.node(object_schema(reader, self.source.schema))
        result: dict[str, Any] = {}
        for name, schema, required in reader.properties(node):
            if name in plan or not (required or self._factory.rng.random() < 0.6):
                continue
            try:
                result[name] = self._factory.valid(schema, name=name)
            except UnsatisfiableSchema as exc:
                raise AssayError(
                    f"{self.source.describe()}: no valid value exists for field {name!r} "
                    f"({exc.message})",
                    hint=f"Give {name} a value with an override or in the builder's fields, "
                    "or fix the schema's contradictory constraints.",
                ) from None
        if not node.properties:
            raise UnsatisfiableSchema(f"{self.source.describe()}: no valid value was found")
        return result

    def _realize(
        self,
        plan: Mapping[str, Any],
        target: dict[str, Any],
        schema: Any,
        state: _Pass,
    ) -> None:
        reader = self._factory.reader
        properties = reader.node(object_schema(reader, schema)).properties
        for key, wanted in plan.items():
            if isinstance(wanted, Lazy):
                state.deferred.append((target, key, wanted))
                continue
            target[key] = self._resolve(wanted, target, key, properties.get(key), state)

    def _resolve(
        self,
        wanted: Any,
        target: dict[str, Any],
        key: str,
        schema: Any,
        state: _Pass,
    ) -> Any:
        if isinstance(wanted, Sequence):
            return wanted.make(self._count)
        if isinstance(wanted, Builder):
            return wanted.data()
        if isinstance(wanted, Nested):
            return wanted.builder.data(**wanted.overrides)
        if isinstance(wanted, Many):
            return [wanted.builder.data(**wanted.overrides) for _ in range(self._many(wanted))]
        if isinstance(wanted, Related):
            return self._related(wanted, target, key, state.creating)
        if isinstance(wanted, dict):
            current = target.get(key) if self._structured(schema) else {}
            if not isinstance(current, dict):
                current = self._fresh_object(schema)
            self._realize(wanted, current, schema, state)
            return current
        return wanted

    def _structured(self, schema: Any) -> bool:
        """True for an object with declared fields (a dict merges into it; a map is replaced)."""
        if schema is None:
            return False
        reader = self._factory.reader
        return bool(reader.node(object_schema(reader, schema)).properties)

    def _many(self, many: Many) -> int:
        if isinstance(many.count, int):
            return many.count
        low, high = many.count
        return self._factory.rng.randint(low, high)

    def _fresh_object(self, schema: Any) -> dict[str, Any]:
        if schema is None:
            return {}
        fresh = self._factory.valid(object_schema(self._factory.reader, schema))
        return fresh if isinstance(fresh, dict) else {}

    def _related(self, related: Related, target: dict[str, Any], key: str, creating: bool) -> Any:
        wanted = related.overrides(target) if callable(related.overrides) else related.overrides
        if creating:
            return attribute_of(related.builder.create(**wanted), related.attribute)
        built = related.builder.data(**wanted)
        if related.attribute is not None and related.attribute not in built:
            return target.get(key)  # assigned on creation (an autoincrement key)
        return attribute_of(built, related.attribute)

    def __repr__(self) -> str:
        return f"<Builder {self.name} of {self.source.describe()}>"
