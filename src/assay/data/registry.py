"""`Builders`: the builders of one test, seeded from one seed and bound to one client.

``builders.model(Order)``, ``builders.schema({...})``, ``builders.table(Row)`` and
``builders.from_spec()["Order"]`` make builders whose seeds derive from the run's seed
and the builder's name (adding a builder never changes another's values); builders
registered by name are reached as attributes (``builders.payment(trait="refunded")``).
Spec components create through the operation that takes them (a ``POST`` whose body
is that schema), with the bound client, registering what they create for cleanup.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from assay.data.builders import Builder
from assay.data.sinks import APISink, CleanupRegistry, RecordedCleanup
from assay.data.sources import spec_source
from assay.errors import AssayError

if TYPE_CHECKING:
    from assay.client import APITestClient
    from assay.spec.model import Spec

__all__ = ["Builders", "SpecBuilders"]

M = TypeVar("M")


class Builders:
    """Builders seeded from `seed`, creating through `client` (or a function giving one).

    The ``builders`` pytest fixture is one of these, seeded with the run's seed and bound
    to the ``api`` fixture (fetched only when something is created through the API).
    """

    def __init__(
        self,
        seed: int = 0,
        *,
        client: APITestClient | Callable[[], APITestClient] | None = None,
        cleanup: CleanupRegistry | None = None,
    ) -> None:
        self.seed = seed
        self.cleanup: CleanupRegistry = cleanup if cleanup is not None else RecordedCleanup()
        self._client = client
        self._named: dict[str, Builder[Any]] = {}

    @property
    def client(self) -> APITestClient:
        """The client ``create()`` goes through; an `AssayError` when none is bound."""
        found = self._client() if callable(self._client) else self._client
        if found is None:
            raise AssayError(
                "these builders have no client to create through",
                hint="Pass client=api to Builders(...), or use the `builders` fixture with "
                "a target configured for the `api` fixture.",
            )
        self._client = found
        return found

    def seed_for(self, name: str) -> int:
        """The seed of the builder called `name`: derived from this seed and the name."""
        digest = hashlib.blake2b(f"{self.seed}:{name}".encode(), digest_size=8).digest()
        return int.from_bytes(digest, "big")

    def model(self, model: type[M], **options: Any) -> Builder[M]:
        """A builder of a pydantic model (see `Builder.from_model`)."""
        options.setdefault("seed", self.seed_for(options.get("name") or model.__name__))
        return Builder.from_model(model, **options)

    def schema(
        self, schema: Mapping[str, Any], *, name: str = "schema", **options: Any
    ) -> Builder[dict[str, Any]]:
        """A builder of a JSON Schema (see `Builder.from_schema`)."""
        options.setdefault("seed", self.seed_for(name))
        return Builder.from_schema(schema, name=name, **options)

    def table(self, model: type[M], **options: Any) -> Builder[M]:
        """A builder of a SQLAlchemy model (see `Builder.from_table`)."""
        options.setdefault("seed", self.seed_for(options.get("name") or model.__name__))
        return Builder.from_table(model, **options)

    def from_spec(self, spec: Spec | None = None) -> SpecBuilders:
        """Builders of the component schemas of `spec` (default: the client's spec)."""
        return SpecBuilders(self, spec if spec is not None else self.client.spec)

    def api_sink(self, operation: str, *, identity: str | None = None) -> APISink:
        """A sink creating through `operation` with the bound client, cleaned up at teardown."""
        return APISink(self.client, operation, cleanup=self.cleanup, identity=identity)

    def register(self, name: str, builder: Builder[M]) -> Builder[M]:
        """Keep `builder` under `name` (re-seeded from this seed); reach it as an attribute."""
        seeded = builder.with_seed(self.seed_for(name))
        self._named[name] = seeded
        return seeded

    def __getattr__(self, name: str) -> Builder[Any]:
        named = self.__dict__.get("_named", {})
        if name in named:
            return named[name]  # type: ignore[no-any-return]
        raise AttributeError(
            f"no builder registered as {name!r} (registered: {', '.join(named) or 'none'})"
        )

    def __getitem__(self, name: str) -> Builder[Any]:
        return self.__getattr__(name)


class SpecBuilders(Mapping[str, Builder[dict[str, Any]]]):
    """``builders.from_spec(spec)["Order"]``: a builder per component schema of a spec.

    A component's builder creates through the spec's ``POST`` operation whose JSON body
    is that component, when there is one.
    """

    def __init__(self, owner: Builders, spec: Spec) -> None:
        self._owner = owner
        self._spec = spec
        self._made: dict[str, Builder[dict[str, Any]]] = {}

    def __getitem__(self, name: str) -> Builder[dict[str, Any]]:
        found = self._made.get(name)
        if found is None:
            operation = _creating_operation(self._spec, name)
            sink = _LazySink(self._owner, operation) if operation else None
            source = spec_source(self._spec, name)
            found = Builder(source, seed=self._owner.seed_for(name), sink=sink)
            self._made[name] = found
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._spec.raw.get("components", {}).get("schemas", {}))

    def __len__(self) -> int:
        return len(self._spec.raw.get("components", {}).get("schemas", {}))


class _LazySink:
    """An `APISink` made on first use, so building never needs the client."""

    def __init__(self, owner: Builders, operation: str) -> None:
        self._owner = owner
        self._operation = operation
        self._sink: APISink | None = None

    def __call__(self, obj: Any) -> Any:
        if self._sink is None:
            self._sink = self._owner.api_sink(self._operation)
        return self._sink(obj)


def _creating_operation(spec: Spec, name: str) -> str | None:
    """The operationId of the first ``POST`` whose JSON body is the component `name`."""
    target = spec.raw.get("components", {}).get("schemas", {}).get(name)
    for op in spec.operations:
        if op.method != "post" or op.request_body is None or not op.operation_id:
            continue
        for media_type, media in op.request_body.content.items():
            schema = media.schema
            if "json" in media_type and schema is not None and spec.resolve(schema) is target:
                return op.operation_id
    return None
