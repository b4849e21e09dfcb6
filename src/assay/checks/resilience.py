"""Resilience: a service must survive a failing dependency — answer in time, retry gently,
and keep its Idempotency-Key when it retries.

Judged on the resilience phase's requests (`assay.resilience.phase`): each one was sent
with one dependency failing (``Case.scenario`` names the dependency, the fault and the
bounds), and the calls it caused at that dependency come from the run's call source
(``ctx.memory[CALLS]``, the phase's fault proxies). A request that caused no call at the
dependency (a circuit breaker already open, a cache) is not judged. Retries are calls
of one request with the same method, path and body.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from assay.checks.registry import check
from assay.errors import Severity

if TYPE_CHECKING:
    from assay.checks.registry import CheckContext, Exchange
    from assay.errors import Finding

__all__ = [
    "CALLS",
    "SCENARIO",
    "CallSource",
    "ObservedCall",
    "downstream_timeout_missing",
    "retry_key_changed",
    "retry_storm",
]

SCENARIO = "resilience"
CALLS = "resilience.calls"
"""The `CheckContext.memory` key of the run's `CallSource`."""
IMMEDIATE_RETRIES = 3
"""This many retries, each sooner than ``min_backoff`` after the one before, are a storm."""
_KEYED_METHODS = frozenset({"POST", "PATCH"})


class ObservedCall(Protocol):
    """A call the dependency received (`assay.resilience.Call` is one)."""

    @property
    def method(self) -> str: ...

    @property
    def at(self) -> float: ...

    @property
    def idempotency_key(self) -> str | None: ...

    @property
    def signature(self) -> tuple[str, str, str]: ...

    def describe(self, since: float | None = None) -> str: ...


class CallSource(Protocol):
    """Where the checks find the calls a request caused at a dependency."""

    def caused_by(self, dependency: str, request_id: str, since: float) -> Sequence[ObservedCall]:
        """The calls at `dependency` that request `request_id` (sent at `since`) caused."""
        ...


def _facts(exchange: Exchange) -> Mapping[str, Any] | None:
    scenario = exchange.case.scenario
    if scenario is None or scenario.get("name") != SCENARIO:
        return None
    return scenario


def _calls(ctx: CheckContext, found: Mapping[str, Any]) -> list[ObservedCall]:
    source: CallSource | None = ctx.memory.get(CALLS)
    if source is None:
        return []
    since = float(found["sent_at"])
    return list(source.caused_by(str(found["dependency"]), str(found["request_id"]), since))


def _retries(calls: Sequence[ObservedCall]) -> list[list[ObservedCall]]:
    """The calls grouped by request (method, path, body), in order; each group a request
    and its retries."""
    groups: dict[tuple[str, str, str], list[ObservedCall]] = {}
    for call in sorted(calls, key=lambda c: c.at):
        groups.setdefault(call.signature, []).append(call)
    return list(groups.values())


def _finding(
    ctx: CheckContext,
    exchange: Exchange,
    found: Mapping[str, Any],
    title: str,
    *,
    check: str,
    detail: str,
    calls: Sequence[ObservedCall],
) -> Finding:
    since = float(found["sent_at"])
    return ctx.finding(
        exchange,
        title,
        check=check,
        detail=detail,
        evidence={
            "dependency": found["dependency"],
            "fault": found["fault"],
            "elapsed_s": round(exchange.elapsed_ms / 1000, 3),
            "calls": [c.describe(since) for c in calls],
        },
        signature=str(found["dependency"]),
    )


@check(family="resilience", phases=("resilience",), severity=Severity.HIGH)
def downstream_timeout_missing(ctx: CheckContext, exchange: Exchange) -> None:
    """Fires when, with a dependency that accepts calls and never answers, the service
    took longer than the ``[resilience] budget`` (10 s) to answer.

    Judged on the requests sent with the dependency hung that did call it. A call
    without a (short enough) timeout ties up a worker for as long as the dependency
    hangs: one slow dependency then takes the whole service down with it (CWE-400).
    Give every outgoing call a timeout, and answer 503/504 or an accepted, pending
    state when it expires.
    """
    found = _facts(exchange)
    if found is None or found.get("fault") != "hang":
        return
    calls = _calls(ctx, found)
    budget = float(found["budget"])
    if not calls or exchange.elapsed_ms <= budget * 1000:
        return
    dependency = found["dependency"]
    raise _finding(
        ctx,
        exchange,
        found,
        f"no timeout on calls to {dependency}: the answer took "
        f"{exchange.elapsed_ms / 1000:.1f} s with {dependency} hung",
        check="downstream_timeout_missing",
        detail=(
            f"{dependency} accepted the call and never answered; the service answered "
            f"{exchange.status} only after {exchange.elapsed_ms / 1000:.1f} s, beyond the "
            f"budget of {budget:g} s (the proxy let the call go after "
            f"{float(found.get('hold', budget)):g} s; without that the request would still "
            "wait). Set a timeout on calls to it and answer 503/504 or a pending state."
        ),
        calls=calls,
    )


@check(family="resilience", phases=("resilience",), severity=Severity.MEDIUM)
def retry_storm(ctx: CheckContext, exchange: Exchange) -> None:
    """Fires when one request made more than ``[resilience] max_calls`` (4) calls, first
    included, of the same request to a failing dependency — or three or more retries
    each sooner than ``min_backoff`` (50 ms) after the one before.

    Retrying a dependency that is down at once and again multiplies its load just when
    it needs less, and keeps it down (a retry storm, CWE-400). Retry a few times at
    most, with exponential backoff and jitter, behind a circuit breaker.
    """
    found = _facts(exchange)
    if found is None:
        return
    limit, backoff = int(found["max_calls"]), float(found["min_backoff"])
    for group in _retries(_calls(ctx, found)):
        gaps = [later.at - earlier.at for earlier, later in itertools.pairwise(group)]
        immediate = len(gaps) >= IMMEDIATE_RETRIES and all(gap < backoff for gap in gaps)
        if len(group) <= limit and not immediate:
            continue
        dependency, first = found["dependency"], group[0]
        how = (
            f"{len(group)} calls, more than {limit}"
            if len(group) > limit
            else f"{len(gaps)} retries within {backoff * 1000:g} ms of each other"
        )
        raise _finding(
            ctx,
            exchange,
            found,
            f"retry storm on {dependency}: {first.method} sent {len(group)} times",
            check="retry_storm",
            detail=(
                f"With {dependency} failing ({found['fault']}), one request made {how} of "
                f"the same {first.method} to it, the longest pause "
                f"{max(gaps, default=0.0) * 1000:.0f} ms. Retry at most a few times, with "
                "exponential backoff and jitter, and stop calling a dependency that keeps "
                "failing (a circuit breaker)."
            ),
            calls=group,
        )


@check(family="resilience", phases=("resilience",), severity=Severity.HIGH)
def retry_key_changed(ctx: CheckContext, exchange: Exchange) -> None:
    """Fires when a retried POST or PATCH to a failing dependency carried another
    Idempotency-Key than the first attempt (or none).

    The key is what lets the dependency recognise a retry of a request whose first
    attempt may have taken effect (a timeout, a lost answer): a fresh key per attempt
    turns every retry into a new operation — a second charge, a second shipment
    (CWE-837). Send the same key with every attempt of one operation.
    """
    found = _facts(exchange)
    if found is None:
        return
    for group in _retries(_calls(ctx, found)):
        first = group[0]
        key = first.idempotency_key
        if first.method not in _KEYED_METHODS or not key:
            continue
        changed = [c for c in group[1:] if c.idempotency_key != key]
        if not changed:
            continue
        dependency = found["dependency"]
        raise _finding(
            ctx,
            exchange,
            found,
            f"retries to {dependency} change the Idempotency-Key",
            check="retry_key_changed",
            detail=(
                f"The first {first.method} to {dependency} carried Idempotency-Key {key!r}; "
                f"{len(changed)} of its {len(group) - 1} retries carried another key "
                f"({changed[0].idempotency_key!r}). The dependency cannot tell them from new "
                "requests: send the first attempt's key with every retry."
            ),
            calls=group,
        )
