"""The queries phase: every list operation sent at a small and a larger page size.

For each list operation (a GET without path parameters) that takes a page size
(`size_parameter`: ``limit``, ``page_size``, ``per_page``, ``size``, ``count``,
``pageSize``, ``max_results``…), the phase

1. lists once at the larger size (``census``), counting the statements it runs: a list
   that runs none (an app without SQLAlchemy, or one that keeps its data elsewhere) is
   left alone;
2. creates the items the page lacks through the collection's creating POST, as the
   stateful phase creates them (`assay.generation.scenarios.create`): one more than
   `LARGE`, so both pages are full and more items follow;
3. sends the list at the larger size once more (``page_sizes``) with the facts
   `assay.checks.queries` judges by: the parameter and both sizes. The check re-sends
   the list at each size and counts the statements of each (`assay.perf.queries`);
4. deletes what it created where the API can; the rest is reported in one
   ``queries_leftovers`` event.

Only for in-process apps with SQLAlchemy installed: on a URL, or without SQLAlchemy, the
phase is skipped with the reason. Nested lists (``/orders/{id}/lines``) are not probed:
the items a run creates would land under different parents.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from assay.generation.links import path_names
from assay.generation.listing import PAGE_SIZE_NAMES, list_items
from assay.generation.resources import Resource
from assay.generation.scenarios import Created, cleanup, create
from assay.generation.stateful import plan
from assay.generation.steps import Scenario, ScenarioContext, leftovers
from assay.perf.queries import count_queries, counting_available
from assay.spec.model import Operation, Parameter

__all__ = [
    "LARGE",
    "SCENARIO",
    "SMALL",
    "STEP_PAGE_SIZES",
    "run_queries",
    "size_parameter",
]

SCENARIO = "queries"
STEP_CENSUS = "census"
STEP_PAGE_SIZES = "page_sizes"
SMALL = 2
LARGE = 8
MIN_SPREAD = 3
"""The least difference between the two page sizes worth measuring."""
_SIZE_NAMES = frozenset(
    {*(n.replace("_", "") for n in PAGE_SIZE_NAMES), "count", "take", "top", "maxresults"}
)


def size_parameter(operation: Operation) -> tuple[Parameter, int, int] | None:
    """The query parameter that sets the page size and the two sizes to list at.

    The sizes are `SMALL` and `LARGE`, moved inside the parameter's ``minimum`` and
    ``maximum``; None when those leave less than `MIN_SPREAD` between them.
    """
    for param in operation.parameters:
        name = param.name.lower().replace("_", "").replace("-", "").lstrip("$")
        if param.location != "query" or name not in _SIZE_NAMES:
            continue
        schema = param.schema or {}
        if schema.get("type") not in ("integer", "number", None):
            continue
        low, high = _bound(schema, "minimum"), _bound(schema, "maximum")
        small = max(SMALL, low) if low is not None else SMALL
        large = min(LARGE, high) if high is not None else LARGE
        if large - small >= MIN_SPREAD:
            return param, small, large
    return None


def _bound(schema: dict[str, Any], key: str) -> int | None:
    value = schema.get(key)
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def run_queries(ctx: ScenarioContext) -> str | None:
    """Probe every sized list operation; None, or why the phase did not run."""
    if not ctx.engine.client.in_process:
        return "the target is a URL: database statements are counted only in an in-process app"
    if not counting_available():
        return "SQLAlchemy is not installed, so database statements cannot be counted"
    listings = [op for op in ctx.operations if _listing(op)]
    if not listings:
        return "no list operation takes a page size"
    resources = plan(list(ctx.operations), ctx)
    for listing in listings:
        if ctx.expired:
            break
        _probe(ctx, listing, _creator(listing, resources))
    left = leftovers(ctx)
    if left:
        ctx.engine.events.emit("queries_leftovers", count=len(left), items=left)
    return None


def _listing(operation: Operation) -> bool:
    return (
        operation.method == "get"
        and not path_names(operation.path)
        and size_parameter(operation) is not None
    )


def _creator(listing: Operation, resources: Sequence[Resource]) -> Resource | None:
    """The planned resource whose creating POST fills `listing`'s collection."""
    for resource in resources:
        if resource.create.path == listing.path and resource.parent is None:
            return resource
    return None


def _probe(ctx: ScenarioContext, listing: Operation, resource: Resource | None) -> None:
    sized = size_parameter(listing)
    assert sized is not None
    param, small, large = sized
    anchor = resource.create if resource is not None else listing
    s = Scenario(ctx, SCENARIO, anchor, listing.label)
    query = {"query": {param.name: large}}
    with count_queries() as counted:
        census = s.send(s.case(listing, STEP_CENSUS, query))
    if census is None or not census.ok or census.produced is None or counted.count == 0:
        return
    shown = list_items(census.produced.response_body)
    if shown is None:
        return
    missing = large + 1 - len(shown)  # one more than the page: a page that reads ahead
    made = _fill(ctx, resource, anchor, listing, missing) if resource else []
    try:
        facts = {"parameter": param.name, "small": small, "large": large}
        s.send(s.case(listing, STEP_PAGE_SIZES, query, facts=facts))
    finally:
        for scenario, created in reversed(made):
            cleanup(scenario, [created])


def _fill(
    ctx: ScenarioContext, resource: Resource, anchor: Operation, listing: Operation, missing: int
) -> list[tuple[Scenario, Created]]:
    """Create up to `missing` items (each from a scenario of its own: distinct values)."""
    made: list[tuple[Scenario, Created]] = []
    for index in range(min(missing, LARGE + 1)):
        scenario = Scenario(ctx, SCENARIO, anchor, f"{listing.label}:{index}")
        created = create(scenario, resource)
        if created is None:
            break
        made.append((scenario, created))
    return made
