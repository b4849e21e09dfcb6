"""Database statements per request: a list that runs one more statement per item (N+1).

Judged on the queries phase's list requests (`assay.generation.queries`): the check
re-sends the list at a small and a larger page size, counts the statements each request
runs in the in-process app (`assay.perf.queries`, SQLAlchemy), and compares them with
the number of items each page returned. Statements are compared by their shape (string
and number literals as ``?``), so an N+1 loop written with literal values is seen too.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from assay.checks._requests import json_body, resend
from assay.checks.registry import check
from assay.errors import Severity
from assay.generation.listing import list_items
from assay.generation.queries import MIN_SPREAD, SCENARIO, STEP_PAGE_SIZES
from assay.perf.queries import count_queries, counting_available

if TYPE_CHECKING:
    from assay.checks.registry import CheckContext, Exchange

__all__ = ["Page", "n_plus_one_queries", "per_item_growth", "shape"]

Grown = tuple["Page", "Page", str]
"""The small page, the large page and the statement that grew per item."""

_LITERALS = re.compile(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b")
_SHOWN = 300
_READ_AHEAD = 1
"""A page may read one row more than it shows (to tell whether more follow)."""


def shape(statement: str) -> str:
    """`statement` with literals as ``?`` and whitespace collapsed: one shape per query."""
    return " ".join(_LITERALS.sub("?", statement).split())


@dataclass(frozen=True, slots=True)
class Page:
    """One list request as measured: its page size, items returned, statements run."""

    size: int
    items: int
    statements: Counter[str]
    curl: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "size": self.size,
            "items": self.items,
            "statements": sum(self.statements.values()),
            "request": self.curl,
        }


def per_item_growth(small: Page, large: Page) -> tuple[str, int] | None:
    """The statement that grew most from `small` to `large` and how many runs it grew by.

    None when the pages differ by fewer than `MIN_SPREAD` items: a short collection (or a
    page cut short) tells nothing about the cost per item.
    """
    extra = large.items - small.items
    if extra < MIN_SPREAD:
        return None
    grown = {sql: n - small.statements.get(sql, 0) for sql, n in large.statements.items()}
    if not grown:
        return None
    sql = max(grown, key=lambda key: grown[key])
    return sql, grown[sql]


def _facts(exchange: Exchange) -> Mapping[str, Any] | None:
    found = exchange.case.scenario
    if not found or found.get("name") != SCENARIO or found.get("step") != STEP_PAGE_SIZES:
        return None
    return found


def _measure(ctx: CheckContext, exchange: Exchange, parameter: str, size: int) -> Page | None:
    url = exchange.response.request.url.copy_set_param(parameter, size)
    with count_queries() as counted:
        response = resend(ctx, exchange, url=str(url))
    items = list_items(json_body(response)) if 200 <= response.status_code < 300 else None
    if items is None:
        return None
    statements = Counter(shape(sql) for sql in counted.statements)
    return Page(size, len(items), statements, response.curl)


def _grows(ctx: CheckContext, exchange: Exchange, sizes: list[int], parameter: str) -> Grown | None:
    """The pages at `sizes` (measured in that order) when one statement grows per item."""
    pages = [_measure(ctx, exchange, parameter, size) for size in sizes]
    if None in pages:
        return None
    small, large = sorted((p for p in pages if p is not None), key=lambda p: p.size)
    growth = per_item_growth(small, large)
    if growth is None or growth[1] < large.items - small.items - _READ_AHEAD:
        return None
    return small, large, growth[0]


@check(family="performance", phases=("queries",), severity=Severity.MEDIUM)
def n_plus_one_queries(ctx: CheckContext, exchange: Exchange) -> None:
    """A list runs one more database statement for every extra item it returns (N+1).

    Fires on the queries phase's list requests, for an in-process app using SQLAlchemy:
    the list is sent at a small and a larger page size (e.g. ``limit=2`` and ``limit=8``)
    and the statements of each request are counted; it fires when one statement ran at
    least once more per extra item returned (less one: a page may read one row ahead),
    over at least 3 extra items, and a second pair of requests, sent in the other order,
    shows the same. Silent when the pages hold nearly as many items (a short collection),
    when the extra statements are a constant few (a count, a permission lookup) or grow
    in batches, and on a URL target. Why it is a bug: the cost of a page grows with its
    size in round trips to the database; a page of 100 items runs 100 statements where
    one would do, and the list slows down as the data grows.
    """
    found = _facts(exchange)
    if found is None or not 200 <= exchange.status < 300:
        return
    if not ctx.client.in_process or not counting_available():
        return
    parameter, small, large = str(found["parameter"]), int(found["small"]), int(found["large"])
    first = _grows(ctx, exchange, [small, large], parameter)
    again = _grows(ctx, exchange, [large, small], parameter) if first else None
    if first is None or again is None:
        return
    raise _finding(ctx, exchange, parameter, first, again)


def _finding(
    ctx: CheckContext, exchange: Exchange, parameter: str, first: Grown, again: Grown
) -> Exception:
    small, large, sql = first
    times = (small.statements.get(sql, 0), large.statements.get(sql, 0))
    shown = sql if len(sql) <= _SHOWN else sql[: _SHOWN - 1] + "…"
    return ctx.finding(
        exchange,
        f"N+1 queries: each extra item listed runs the same statement once more "
        f"({parameter}={small.size}: {sum(small.statements.values())} statements, "
        f"{parameter}={large.size}: {sum(large.statements.values())})",
        check="n_plus_one_queries",
        detail=f"{small.items} items took {times[0]} runs of one statement, {large.items} "
        f"items {times[1]}: {shown}. Load the page's related rows in one statement (a join, "
        "an IN query, or the ORM's selectinload/joinedload) instead of one per item.",
        evidence={
            "parameter": parameter,
            "pages": [small.to_dict(), large.to_dict()],
            "confirmed": [page.to_dict() for page in again[:2]],
            "repeated_statement": shown,
            "runs": {"small": times[0], "large": times[1]},
        },
        signature="one statement per item",
    )
