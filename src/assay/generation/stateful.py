"""The stateful phase: multi-step scenarios over what the run itself creates.

`run_scenarios(ctx)` pairs producers with consumers — OpenAPI links, and pairs inferred
from REST paths (`assay.generation.links`) — plans the resources the run can create
(`assay.generation.resources`) and drives, for each, in rounds:

* the lifecycle (`assay.generation.scenarios`): create → read → follow → list →
  update → read → delete → read → delete again;
* duplicate and concurrent submission (`assay.generation.duplicates`);
* cross-user access with two or more identities (`assay.generation.ownership`);

and follows declared GET → GET links once. Every step is a case with ``Case.scenario``
set; the state checks (`assay.checks.state`) judge the steps, the other checks judge
every answer as usual.

Deterministic for a seed (values come from per-operation seeded factories forked per
scenario, step and round); bounded by ``max_examples`` (one round below 10, else two)
and the deadline, checked before every request. Safe: PUT, PATCH and DELETE only ever
go to items the scenario created (ids from its own POST answers), and everything it
created and did not delete is deleted at the end of the scenario; what could not be
deleted (no DELETE operation, a refusal, the deadline) is reported in one
``stateful_leftovers`` event of the run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from assay.generation.amounts import refund_bound
from assay.generation.capacity import oversell
from assay.generation.duplicates import duplicates, idempotency_parameter, uniqueness
from assay.generation.imports import csv_imports
from assay.generation.links import (
    Pair,
    declared_pairs,
    inferred_pairs,
    is_creation,
    path_names,
    singular,
)
from assay.generation.ownership import cross_user
from assay.generation.properties import field_names
from assay.generation.refusals import refusal
from assay.generation.resources import (
    Resource,
    dependency_order,
    follow_pairs,
    plan_resources,
    referenced_pairs,
)
from assay.generation.scenarios import id_name, lifecycle, prerequisite
from assay.generation.steps import STEP_FOLLOW, Scenario, ScenarioContext, leftovers
from assay.spec.model import Operation

__all__ = ["all_pairs", "plan", "rounds_for", "run_scenarios"]

ScenarioRunner = Callable[[ScenarioContext, Resource, int], object]


def all_pairs(operations: Sequence[Operation]) -> list[Pair]:
    """Declared pairs first, then inferred ones for producer/consumer couples links miss."""
    declared = declared_pairs(operations)
    return [*declared, *inferred_pairs(operations, declared)]


def plan(operations: Sequence[Operation], ctx: ScenarioContext | None = None) -> list[Resource]:
    """The resources to drive: those with consumers, and creations worth duplicating."""
    pairs = all_pairs(operations)
    if ctx is not None:
        producers = {p.producer.pointer: p.producer for p in pairs if is_creation(p.producer)}
        pairs += referenced_pairs(ctx.spec, operations, list(producers.values()))
    resources = plan_resources(operations, pairs)
    planned = {r.create.pointer for r in resources}
    for operation in operations:
        if operation.pointer in planned or not is_creation(operation):
            continue
        if path_names(operation.path):
            continue
        declares = idempotency_parameter(operation) is not None
        if declares or (ctx is not None and uniqueness(ctx.spec, operation)):
            resources.append(Resource(operation, None, None, (), None, None, ()))
    if ctx is None:
        return resources
    return _ordered(ctx, [*resources, *_prerequisites(ctx, operations, resources)])


def _prerequisites(
    ctx: ScenarioContext, operations: Sequence[Operation], resources: list[Resource]
) -> list[Resource]:
    """Creations no read follows whose ids planned bodies need (``customer_id`` ↔ the
    answer of ``POST /customers``): created first, so those bodies name real items."""
    needed = set().union(*(field_names(ctx.spec, r.create) for r in resources))
    planned = {r.create.pointer for r in resources}
    found: list[Resource] = []
    for operation in operations:
        if operation.pointer in planned or not is_creation(operation):
            continue
        name = f"{singular(operation.path.rstrip('/').rsplit('/', 1)[-1])}_id"
        if not path_names(operation.path) and name in needed:
            found.append(Resource(operation, None, None, (), None, None, (), produces=name))
    return found


def _ordered(ctx: ScenarioContext, resources: list[Resource]) -> list[Resource]:
    """Resources whose bodies name other resources' ids (``lines[].sku``) after those."""
    names = {i: id_name(r) for i, r in enumerate(resources) if r.item or r.produces}
    needs: dict[int, set[int]] = {}
    for index, resource in enumerate(resources):
        fields = field_names(ctx.spec, resource.create)
        own = names.get(index)
        needs[index] = {i for i, name in names.items() if name != own and name in fields}
    return dependency_order(resources, needs)


def rounds_for(max_examples: int) -> int:
    """How many rounds of scenarios a run's ``max_examples`` asks for."""
    if max_examples <= 0:
        return 0
    return 1 if max_examples < 10 else 2


def run_scenarios(ctx: ScenarioContext) -> str | None:
    """Run every scenario for every planned resource; None, or why nothing ran."""
    rounds = rounds_for(int(ctx.settings.max_examples))
    if rounds == 0:
        return "max_examples is 0"
    operations = list(ctx.operations)
    resources = plan(operations, ctx)
    for round_ in range(rounds):
        for resource in resources:
            if ctx.expired:
                _report_leftovers(ctx)
                return None
            _drive(ctx, resource, round_)
        if round_ == 0:
            _follow_links(ctx, follow_pairs(all_pairs(operations)))
            csv_imports(ctx)
    _report_leftovers(ctx)
    return None


def _report_leftovers(ctx: ScenarioContext) -> None:
    """Tell the run's event stream what was created and could not be deleted."""
    left = leftovers(ctx)
    events = getattr(ctx.engine, "events", None)
    if left and events is not None:
        events.emit("stateful_leftovers", count=len(left), items=left)


def _drive(ctx: ScenarioContext, resource: Resource, round_: int) -> None:
    """Every scenario for one resource; none after a lifecycle that could not create it."""
    runners: tuple[ScenarioRunner, ...] = (duplicates,)
    if resource.produces is not None:
        runners = (prerequisite,)
    elif resource.key_pair is not None:
        if not lifecycle(ctx, resource, round_):
            return
        runners = (duplicates, oversell, cross_user, refusal, refund_bound)
    for runner in runners:
        if ctx.expired:
            return
        runner(ctx, resource, round_)


def _follow_links(ctx: ScenarioContext, pairs: Sequence[Pair]) -> None:
    for index, pair in enumerate(pairs):
        s = Scenario(ctx, "follow_link", pair.producer, str(index))
        produced = s.send(s.case(pair.producer, STEP_FOLLOW, facts={"link": pair.origin}))
        if produced is None or produced.produced is None or not pair.follows(produced.status):
            continue
        bound = pair.arguments(produced.produced)
        if bound is not None:
            facts = {"link": pair.origin}
            s.send(s.case(pair.consumer, STEP_FOLLOW, bound, facts=facts))
