"""The resilience phase: operations that call a dependency, re-sent with it failing.

For every ``[[resilience.dependencies]]`` the phase runs a `FaultProxy` where the
service under test was told the dependency is (``listen``), forwarding to where it
really runs (``upstream``). It then drives the stateful scenarios
(`assay.generation.stateful`) with every proxy passing calls through, each request
tagged with its own correlation id (``[resilience] correlation_header``), to learn
which operations call which dependency. The first request (of a step sent on its own)
that succeeded and called a dependency not yet probed for its operation is re-sent
once per ``[resilience] faults``, with that dependency failing; the checks of
`assay.checks.resilience` judge those answers by the calls they caused. The scenarios
then stop — the service's breakers and paused work are in a state they do not expect
— and start afresh (new values) for the next operation, at most ``max_operations``
times. Without configured dependencies the phase is skipped.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from assay.checks.resilience import CALLS
from assay.generation.stateful import run_scenarios
from assay.resilience.probing import Dependencies, Prober

if TYPE_CHECKING:
    from assay.config import ResilienceConfig
    from assay.generation.cases import Case
    from assay.generation.steps import ScenarioContext
    from assay.spec.model import Operation

__all__ = ["run_resilience"]

_CONCURRENT_STEPS = frozenset({"concurrent"})


def run_resilience(ctx: ScenarioContext) -> str | None:
    """Learn which operations call the configured dependencies, and fail each in turn."""
    config: ResilienceConfig | None = getattr(ctx.settings, "resilience", None)
    if config is None or not config.dependencies:
        return "no [[resilience.dependencies]] configured (see docs/resilience.md)"
    probed: set[tuple[str, str]] = set()
    memory = ctx.engine.context.memory
    with Dependencies(config) as dependencies:
        memory[CALLS] = dependencies
        try:
            skipped = _rounds(ctx, Prober(ctx, dependencies), probed, config.max_operations)
        finally:
            del memory[CALLS]
    if skipped is not None:
        return skipped
    if not probed:
        names = ", ".join(d.name for d in config.dependencies)
        return f"no operation called {names} in the scenarios (nothing to fail)"
    return None


def _rounds(
    ctx: ScenarioContext, prober: Prober, probed: set[tuple[str, str]], limit: int
) -> str | None:
    """Learning rounds until one probes nothing new (or `limit` rounds, or the deadline)."""
    for round_ in range(limit):
        learning = _Learning(ctx, prober, probed, round_)
        skipped = run_scenarios(learning)
        if skipped is not None:
            return skipped
        if learning.probed is None or ctx.expired:
            break
    return None


class _Learning:
    """The stateful scenarios' context while the phase learns: requests are tagged, and
    the first one that called a dependency is probed, which ends this round."""

    def __init__(
        self, ctx: ScenarioContext, prober: Prober, probed: set[tuple[str, str]], round_: int
    ) -> None:
        self.ctx = ctx
        self.spec = ctx.spec
        self.operations = ctx.operations
        self.settings = ctx.settings
        self.engine = ctx.engine
        self.prober = prober
        self.done = probed
        self.round = round_
        self.probed: tuple[str, str] | None = None

    @property
    def expired(self) -> bool:
        return self.ctx.expired or self.probed is not None

    def factory(self, operation: Operation) -> Any:
        base = self.ctx.factory(operation)
        return base.fork(f"resilience round {self.round}") if base and self.round else base

    def seed_for(self, operation: Operation) -> int:
        return (self.ctx.seed_for(operation) + self.round) & 0xFFFFFFFF

    def execute(self, case: Case) -> Any:
        request_id = self.prober.tag(case)
        since = time.monotonic()
        execution = self.ctx.execute(case)
        if self.probed is None and _may_probe(case, execution):
            for dependency in self.prober.dependencies.called(request_id, since):
                if (case.label, dependency) not in self.done:
                    self.done.add((case.label, dependency))
                    self.probed = (case.label, dependency)
                    self.prober.probe(case, dependency)
                    break
        return execution

    def execute_together(self, cases: Sequence[Case]) -> list[Any]:
        for case in cases:
            self.prober.tag(case)
        return self.ctx.execute_together(cases)


def _may_probe(case: Case, execution: Any) -> bool:
    """A step sent on its own that succeeded (its state is there to repeat it)."""
    exchange = execution.exchange
    if exchange is None or not 200 <= exchange.status < 300:
        return False
    step = (case.scenario or {}).get("step")
    return step not in _CONCURRENT_STEPS
