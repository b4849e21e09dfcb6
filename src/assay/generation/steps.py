"""One scenario in progress: building each step's case, sending it, keeping the trail.

Every case a scenario sends carries ``Case.scenario``: the scenario's name, the step
(one of the ``STEP_*`` names below) and the facts the state checks judge the step by
(what was sent, what the producer answered, who owns the resource). ``trail`` lists
the curl lines of the steps before, so a finding shows how the state came about.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from assay.errors import AssayError
from assay.generation.cases import UNSET, Case
from assay.generation.expressions import Produced
from assay.generation.links import path_names
from assay.generation.properties import json_media, with_documented_values
from assay.spec.model import Operation, Spec

__all__ = [
    "IDEMPOTENCY_HEADER",
    "STEP_CLEANUP",
    "STEP_CONCURRENT",
    "STEP_CREATE",
    "STEP_CROSS_DELETE",
    "STEP_CROSS_MODIFY",
    "STEP_CROSS_READ",
    "STEP_DELETE",
    "STEP_DELETE_AGAIN",
    "STEP_DUPLICATE",
    "STEP_FOLLOW",
    "STEP_LIST",
    "STEP_READ_AFTER_CREATE",
    "STEP_READ_AFTER_DELETE",
    "STEP_READ_AFTER_REFUSAL",
    "STEP_READ_AFTER_UPDATE",
    "STEP_REFUSED",
    "STEP_SETUP",
    "STEP_UPDATE",
    "Scenario",
    "ScenarioContext",
    "Step",
    "Stored",
    "known_ids",
    "leftovers",
    "stored_items",
    "with_known_ids",
]

STEP_SETUP = "setup"
STEP_CREATE = "create"
STEP_READ_AFTER_CREATE = "read_after_create"
STEP_FOLLOW = "follow"
STEP_LIST = "list_after_create"
STEP_UPDATE = "update"
STEP_READ_AFTER_UPDATE = "read_after_update"
STEP_DELETE = "delete"
STEP_READ_AFTER_DELETE = "read_after_delete"
STEP_DELETE_AGAIN = "delete_again"
STEP_DUPLICATE = "duplicate"
STEP_CONCURRENT = "concurrent"
STEP_CROSS_READ = "cross_read"
STEP_CROSS_MODIFY = "cross_modify"
STEP_CROSS_DELETE = "cross_delete"
STEP_CLEANUP = "cleanup"
STEP_REFUSED = "refused"
STEP_READ_AFTER_REFUSAL = "read_after_refusal"

IDEMPOTENCY_HEADER = "idempotency-key"
_TRAIL = 8
_LOCATIONS = ("path", "query", "header", "cookie")
_QUANTITIES = frozenset({"qty", "quantity", "count", "units"})


class ScenarioContext(Protocol):
    """What the stateful phase needs from the engine's phase context."""

    spec: Spec
    operations: Sequence[Operation]
    settings: Any
    engine: Any

    @property
    def expired(self) -> bool: ...

    def execute(self, case: Case) -> Any: ...

    def execute_together(self, cases: Sequence[Case]) -> list[Any]: ...

    def factory(self, operation: Operation) -> Any: ...

    def seed_for(self, operation: Operation) -> int: ...


@dataclass(slots=True)
class Step:
    """A sent step: its exchange (None without a response) and what it produced."""

    exchange: Any
    produced: Produced | None

    @property
    def status(self) -> int:
        return int(self.exchange.status) if self.exchange is not None else 0

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def produced_of(exchange: Any) -> Produced:
    """The facts of an exchange in the shape runtime expressions address."""
    case: Case = exchange.case
    response = exchange.response
    return Produced(
        method=case.http_method,
        url=str(response.request.url),
        status=int(response.status_code),
        path=dict(case.path_parameters),
        query=dict(case.query),
        headers={k.lower(): v for k, v in case.headers.items()},
        body=None if case.body is UNSET else case.body,
        response_headers={k.lower(): v for k, v in response.headers.items()},
        response_body=_json(response),
    )


def _json(response: Any) -> Any:
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if not (content_type == "application/json" or content_type.endswith("+json")):
        return None
    try:
        return response.json()
    except ValueError:
        return None


def known_ids(ctx: ScenarioContext) -> dict[str, list[Any]]:
    """Ids of items the run created, by the name other requests know them by (``sku``…)."""
    found: dict[str, list[Any]] | None = getattr(ctx, "stateful_known_ids", None)
    if found is None:
        found = {}
        setattr(ctx, "stateful_known_ids", found)  # noqa: B010 - not part of the protocol
    return found


def with_known_ids(value: Any, known: Mapping[str, list[Any]], own: set[str]) -> Any:
    """`value` with every scalar field named like a known id set to a created item's id.

    An order's ``lines[].sku`` then names a product the run created, instead of a
    random one the server rightly refuses. Fields in `own` (the item's own id) are kept.
    Every such field takes the newest id (the item most completely set up). In an
    array, objects that would repeat an id are dropped (one line per product; one always
    stays), and an object that names a created item asks for the least of it: its
    quantity field (``qty``, ``quantity``, ``count``, ``units``) is set to 1, so the
    stock the run created suffices. A top-level quantity (a batch's size) is kept.
    """
    if isinstance(value, Mapping):
        return _object_with_known_ids(value, known, own, line=False)
    if isinstance(value, list):
        return _list_with_known_ids(value, known, own)
    return value


def _object_with_known_ids(
    value: Mapping[str, Any], known: Mapping[str, list[Any]], own: set[str], *, line: bool
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    refers = False
    for key, item in value.items():
        if key in known and key not in own and _scalar(item) and known[key]:
            result[key] = known[key][-1]
            refers = True
        else:
            result[key] = with_known_ids(item, known, own)
    if refers and line:
        for key, item in result.items():
            if key.lower() in _QUANTITIES and isinstance(item, int) and not isinstance(item, bool):
                result[key] = 1
    return result


def _list_with_known_ids(
    value: list[Any], known: Mapping[str, list[Any]], own: set[str]
) -> list[Any]:
    result: list[Any] = []
    seen: set[tuple[tuple[str, Any], ...]] = set()
    for item in value:
        if not isinstance(item, Mapping):
            result.append(with_known_ids(item, known, own))
            continue
        replaced = _object_with_known_ids(item, known, own, line=True)
        names = tuple((k, v) for k, v in replaced.items() if k in known and k not in own)
        if names and names in seen:
            continue
        seen.add(names)
        result.append(replaced)
    return result


def _scalar(value: Any) -> bool:
    return isinstance(value, str | int) and not isinstance(value, bool)


@dataclass(frozen=True, slots=True)
class Stored:
    """An item the run created and can read: how, as whom, and the values that name it."""

    read: Operation
    bound: Mapping[str, Mapping[str, Any]]
    identity: str | None
    names: frozenset[Any]
    """Its own id and the scalar values its creation sent (a batch's ``sku``)."""


def stored_items(ctx: ScenarioContext) -> list[Stored]:
    """The readable items the run's scenarios created, oldest first (on the phase context)."""
    found: list[Stored] | None = getattr(ctx, "stateful_stored", None)
    if found is None:
        found = []
        setattr(ctx, "stateful_stored", found)  # noqa: B010 - not part of the protocol
    return found


def leftovers(ctx: ScenarioContext) -> list[dict[str, Any]]:
    """What the run's scenarios created and could not delete (kept on the phase context)."""
    found: list[dict[str, Any]] | None = getattr(ctx, "stateful_leftovers", None)
    if found is None:
        found = []
        setattr(ctx, "stateful_leftovers", found)  # noqa: B010 - not part of the protocol
    return found


class Scenario:
    """One run of one scenario: its seed, owner identity, trail and generated values."""

    def __init__(self, ctx: ScenarioContext, name: str, anchor: Operation, key: str) -> None:
        self.ctx = ctx
        self.name = name
        self.key = key
        self.rng = random.Random(f"{ctx.seed_for(anchor)}:{name}:{key}")
        self.trail: list[str] = []
        self.owner: str | None = ctx.engine.identity_for(anchor)
        self.leftovers = leftovers(ctx)
        self.known = known_ids(ctx)
        self.stored = stored_items(ctx)
        self.last: Step | None = None
        """The step sent last (None before the first)."""

    def remember(self, name: str, value: Any) -> None:
        """Note the id of an item the run created, for the bodies of later requests."""
        values = self.known.setdefault(name, [])
        if _scalar(value) and value not in values:
            values.append(value)

    def value_factory(self, operation: Operation, purpose: str) -> Any:
        factory = self.ctx.factory(operation)
        return factory.fork(f"stateful:{self.name}:{self.key}:{purpose}") if factory else None

    def body_for(self, operation: Operation, purpose: str, *, own: Iterable[str] = ()) -> Any:
        """A valid body for `operation` (UNSET when it takes none; None when none was found).

        Properties with a documented scalar ``default`` take it, and
        fields named like the id of an item the run created take that id (see
        `with_known_ids`), except `own` ones and the operation's path parameters.
        """
        media = json_media(operation)
        if media is None or operation.request_body is None:
            return UNSET
        factory = self.value_factory(operation, purpose)
        if factory is None:
            return None
        entry = operation.request_body.content[media]
        try:
            body = factory.for_body(entry)
        except AssayError:
            return None
        keep = {*own, *path_names(operation.path)}
        body = with_documented_values(self.ctx.spec, entry.schema, body, keep=frozenset(keep))
        return with_known_ids(body, self.known, keep) if self.known else body

    def case(
        self,
        operation: Operation,
        step: str,
        bound: Mapping[str, Mapping[str, Any]] | None = None,
        *,
        body: Any = UNSET,
        identity: str | None = None,
        facts: Mapping[str, Any] | None = None,
    ) -> Case | None:
        """A case for `operation`: bound values, required others generated (None if impossible)."""
        values = {loc: dict((bound or {}).get(loc, {})) for loc in _LOCATIONS}
        if not self._fill(operation, step, values):
            return None
        return Case(
            operation,
            path_parameters=values["path"],
            query=values["query"],
            headers={k: str(v) for k, v in values["header"].items()},
            cookies={k: str(v) for k, v in values["cookie"].items()},
            body=body,
            media_type=json_media(operation) if body is not UNSET else None,
            identity=identity if identity is not None else self.owner,
            note=f"stateful {self.name}: {step}",
            scenario={"name": self.name, "step": step, "trail": list(self.trail), **(facts or {})},
        )

    def _fill(self, operation: Operation, step: str, values: dict[str, dict[str, Any]]) -> bool:
        factory = None
        for param in operation.parameters:
            taken = values[param.location]
            if param.name in taken or not (param.required or param.location == "path"):
                continue
            if param.location == "header" and param.name.lower() == IDEMPOTENCY_HEADER:
                taken[param.name] = self.fresh_key()
                continue
            factory = factory or self.value_factory(operation, step)
            if factory is None:
                return False
            try:
                taken[param.name] = factory.for_parameter(param)
            except AssayError:
                return False
        return True

    def fresh_key(self) -> str:
        """A new idempotency key (deterministic for the scenario's seed)."""
        return f"assay-{self.rng.getrandbits(64):016x}"

    def send(self, case: Case | None) -> Step | None:
        """Execute `case` (None: skipped); the step, or None once the deadline passed."""
        if case is None or self.ctx.expired:
            return None
        execution = self.ctx.execute(case)
        exchange = execution.exchange
        if exchange is None:
            self.last = Step(None, None)
            return self.last
        self.trail = [*self.trail, exchange.curl][-_TRAIL:]
        self.last = Step(exchange, produced_of(exchange))
        return self.last
