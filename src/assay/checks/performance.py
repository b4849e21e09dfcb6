"""Performance: responses slower than the run's latency budget.

Inert without a budget: ``ctx.settings["latency_budget_ms"]`` (``--latency-budget``)
switches it on. One slow response can be noise on a busy machine, so a finding needs a
second slow answer: a re-send for GET/HEAD/OPTIONS, the next exchange of the same
operation otherwise.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from assay.checks._requests import resend
from assay.checks.registry import check
from assay.errors import Severity

if TYPE_CHECKING:
    from assay.checks.registry import CheckContext, Exchange

__all__ = ["latency_budget_exceeded"]

_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})


def _budget(ctx: CheckContext) -> float | None:
    value = ctx.settings.get("latency_budget_ms")
    return float(value) if isinstance(value, int | float) and value > 0 else None


def _confirmed(ctx: CheckContext, exchange: Exchange, budget: float) -> float | None:
    """The second slow duration in ms, or None when the slowness is not confirmed."""
    if exchange.case.http_method in _SAFE:
        started = time.perf_counter()
        resend(ctx, exchange)
        again = (time.perf_counter() - started) * 1000
        return again if again > budget else None
    slow: dict[str, float] = ctx.memory.setdefault("latency_budget_exceeded", {})
    earlier = slow.get(exchange.case.label)
    slow[exchange.case.label] = exchange.elapsed_ms
    return earlier


@check(family="performance", severity=Severity.LOW)
def latency_budget_exceeded(ctx: CheckContext, exchange: Exchange) -> None:
    """A response took longer than the run's latency budget, twice.

    Fires when ``latency_budget_ms`` is set and an exchange took longer, and the
    slowness is confirmed: a safe request (GET/HEAD/OPTIONS) is re-sent once and must
    be slow again; for other methods a second slow exchange of the same operation is
    needed. Silent when no budget is set. A slow operation breaks its callers'
    timeouts and its users' patience long before it breaks anything else.
    """
    budget = _budget(ctx)
    if budget is None or exchange.elapsed_ms <= budget:
        return
    again = _confirmed(ctx, exchange, budget)
    if again is None:
        return
    raise ctx.finding(
        exchange,
        f"response took {exchange.elapsed_ms:.0f} ms, over the {budget:.0f} ms budget",
        check="latency_budget_exceeded",
        detail=f"The same operation was slow again ({again:.0f} ms). Profile it (queries, "
        "I/O, serialization), or raise the budget if it is unrealistic.",
        evidence={
            "elapsed_ms": round(exchange.elapsed_ms, 1),
            "again_ms": round(again, 1),
            "budget_ms": budget,
        },
        signature=f"over {budget:.0f} ms",
    )
