"""The fuzz phase: property-based cases, shrunk with hypothesis when one finds a defect.

`run_fuzz` sends whole requests for one operation: valid ones (``positive``), or valid
ones with exactly one part made invalid (``negative``; `Case.mutation` says which).
Every case is checked with the document's validator first; one that does not deserve
its kind is never sent.

Hypothesis costs milliseconds per example, more than an in-process request, so cases
are first drawn by the plan's own seeded sampler (wide-ranging values, microseconds
each). When ``execute(case)`` reports a finding, hypothesis takes over: it runs the
operation's strategies (built once per document, operation and kind, and cached), the
test raises whenever `execute` reports a finding again, hypothesis shrinks the case to
a minimal one, and `execute` is called once more with it so the engine keeps the
smallest reproduction. The run is seeded (`seed`), uses no example database, and has
no deadline or health-check noise. Sampling then goes on with the rest of the budget.
An operation whose body comes in several media types (JSON and CSV, JSON and a form)
gets the budget once for each (`fuzzed_media`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Literal

from assay.generation.cases import Case
from assay.generation.mutations import FuzzPlan, fuzzed_media, plan_for
from assay.spec.model import Operation, Spec

__all__ = ["reduce", "run_fuzz", "shrink"]

_MAX_ROUNDS = 3
_SHRINK_EXAMPLES = 100
_MAX_REDUCTIONS = 20


class _Found(Exception):
    """Raised inside the hypothesis test when `execute` reported a finding."""


class _Runner:
    """One `run_fuzz` call: the cases that failed, by content, and the budget left."""

    def __init__(self, plan: FuzzPlan, execute: Callable[[Case], bool]) -> None:
        self.plan = plan
        self.execute = execute
        self.failing: dict[str, Case] = {}
        self.last: Case | None = None
        self.calls = 0

    def test(self, drawn: Any) -> None:
        self.calls += 1
        case = self.plan.case(drawn)
        if case is None:
            from hypothesis import reject

            reject()
        key = json.dumps(case.to_dict(), sort_keys=True, default=repr)
        if key in self.failing or self.execute(case):
            self.failing.setdefault(key, case)
            self.last = case
            raise _Found

    def round(self, seed: int, max_examples: int) -> bool:
        """One hypothesis run; True when it ended on a (shrunk) finding."""
        try:
            from hypothesis import given
            from hypothesis import seed as hypothesis_seed
            from hypothesis.errors import HypothesisException
            from hypothesis.strategies import SearchStrategy
        except ImportError:  # without hypothesis a finding keeps its first case
            return False
        self.last = None
        self.failing.clear()  # a finding already made is not a failure in the next round
        strategy: SearchStrategy[Any] = self.plan.strategy
        wrapped: Any = given(strategy)(self.test)
        configured: Any = _settings(max_examples)(wrapped)
        test: Callable[[], None] = hypothesis_seed(seed)(configured)
        try:
            test()
        except _Found:
            return True
        except HypothesisException:  # unsatisfiable, or flaky answers from the target
            return False
        return False


def _settings(max_examples: int) -> Any:
    """Seeded runs: no example database, no deadline, no health checks, no output."""
    from hypothesis import HealthCheck, Phase, Verbosity, settings

    return settings(
        max_examples=max_examples,
        database=None,
        deadline=None,
        derandomize=False,
        suppress_health_check=list(HealthCheck),
        phases=(Phase.generate, Phase.shrink),
        verbosity=Verbosity.quiet,
        report_multiple_bugs=False,
        print_blob=False,
    )


def run_fuzz(
    operation: Operation,
    spec: Spec,
    execute: Callable[[Case], bool],
    *,
    seed: int,
    max_examples: int,
    kind: Literal["positive", "negative"],
) -> None:
    """Send up to `max_examples` cases of `kind` for `operation` (plus shrinking runs),
    for each media type its body is written in.

    `execute` sends a case and returns True when it produced a new (or smaller) finding;
    each finding is shrunk with hypothesis and its minimal case executed once more.
    """
    for media in fuzzed_media(spec, operation):
        plan = plan_for(spec, operation, kind, media)
        if plan is not None and max_examples > 0:
            _sample(plan, execute, seed, max_examples)


def _sample(plan: FuzzPlan, execute: Callable[[Case], bool], seed: int, max_examples: int) -> None:
    runner = _Runner(plan, execute)
    shrinks = 0
    for index in range(max_examples):
        case = plan.sample(seed, index)
        if case is None or not execute(case):
            continue
        if shrinks < _MAX_ROUNDS:
            shrinks += 1
            if shrink(runner, seed + index, _SHRINK_EXAMPLES) is None:
                reduce(case, plan, execute)


def shrink(runner: _Runner, seed: int, max_examples: int) -> Case | None:
    """Let hypothesis find and shrink a failing case; execute the minimal one again."""
    if runner.round(seed, max_examples) and runner.last is not None:
        runner.execute(runner.last)
        return runner.last
    return None


def reduce(case: Case, plan: FuzzPlan, execute: Callable[[Case], bool]) -> Case:
    """Drop optional parts of `case` one by one while `execute` still reports the finding.

    The fallback when hypothesis does not come upon the failure itself (a rare input
    the sampler found): cheaper than nothing, and every step keeps the case's kind.
    """
    smallest = case
    for _ in range(_MAX_REDUCTIONS):
        reduced = next((c for c in plan.smaller(smallest) if execute(c)), None)
        if reduced is None:
            break
        smallest = reduced
    return smallest
