"""One operation re-sent with one dependency failing, once per configured fault.

`Dependencies` runs a `FaultProxy` per ``[[resilience.dependencies]]`` (listening where
the service under test was told the dependency is) and is the checks' `CallSource`.
`Prober` tags requests with a correlation id, tells which dependencies a request
called, and re-sends a request with a dependency failing: a fresh Idempotency-Key and
correlation id, the fault's name and bounds in ``Case.scenario`` for the checks of
`assay.checks.resilience`.
"""

from __future__ import annotations

import dataclasses
import itertools
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Self

from assay.checks.resilience import SCENARIO
from assay.generation.cases import Case
from assay.resilience.calls import Call
from assay.resilience.faults import Fault, Hang, Refuse, Reset, Status
from assay.resilience.proxy import FaultProxy

if TYPE_CHECKING:
    from assay.config import ResilienceConfig
    from assay.generation.steps import ScenarioContext

__all__ = ["HANG_GRACE", "Dependencies", "Prober", "fault_named"]

HANG_GRACE = 2.0
"""A hang lasts this much longer than the budget: a service without a timeout answers
after it, so its lateness shows; one that keeps waiting meets the case's own timeout."""
_ANSWER_GRACE = 5.0
_IDEMPOTENCY = "idempotency-key"


def fault_named(name: str, config: ResilienceConfig) -> Fault:
    """The fault a ``[resilience] faults`` name stands for."""
    faults: dict[str, Fault] = {
        "unavailable": Status(503, retry_after=1),
        "error": Status(500),
        "reset": Reset(),
        "refuse": Refuse(),
        "hang": Hang(hold=config.budget + HANG_GRACE),
    }
    return faults[name]


class Dependencies:
    """The fault proxies of the configured dependencies, by name; a context manager."""

    def __init__(self, config: ResilienceConfig) -> None:
        self.config = config
        hold = config.budget + HANG_GRACE + 1.0
        self.proxies = {
            d.name: FaultProxy(d.upstream, listen=d.listen, max_hold=hold)
            for d in config.dependencies
        }

    def __enter__(self) -> Self:
        started: list[FaultProxy] = []
        try:
            for proxy in self.proxies.values():
                started.append(proxy.start())
        except BaseException:
            for proxy in started:
                proxy.stop()
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        for proxy in self.proxies.values():
            proxy.stop()

    def caused_by(self, dependency: str, request_id: str, since: float) -> Sequence[Call]:
        """The calls at `dependency` that the request tagged `request_id` caused."""
        header = self.config.correlation_header
        return self.proxies[dependency].calls.caused_by(request_id, since, header.lower())

    def called(self, request_id: str, since: float) -> list[str]:
        """The dependencies the request tagged `request_id` called, in configured order."""
        return [name for name in self.proxies if self.caused_by(name, request_id, since)]


class Prober:
    """Tags requests, and re-sends one with a dependency failing, fault after fault."""

    def __init__(self, ctx: ScenarioContext, dependencies: Dependencies) -> None:
        self.ctx = ctx
        self.dependencies = dependencies
        self.config = dependencies.config
        self._ids = itertools.count(1)
        self._run = f"{ctx.engine.seed:x}"

    def tag(self, case: Case) -> str:
        """Give `case` a correlation id of its own; returns it."""
        request_id = f"assay-{self._run}-{next(self._ids)}"
        header = self.config.correlation_header
        kept = {k: v for k, v in case.headers.items() if k.lower() != header.lower()}
        case.headers = {**kept, header: request_id}
        return request_id

    def probe(self, case: Case, dependency: str) -> None:
        """Re-send `case` once per configured fault, with `dependency` failing."""
        proxy = self.dependencies.proxies[dependency]
        for name in self.config.faults:
            if self.ctx.expired:
                return
            faulted = self._faulted(case, dependency, name)
            proxy.apply(fault_named(name, self.config))
            try:
                assert faulted.scenario is not None
                faulted.scenario["sent_at"] = time.monotonic()
                self.ctx.execute(faulted)
            finally:
                proxy.apply()
                proxy.release()

    def _faulted(self, case: Case, dependency: str, fault: str) -> Case:
        hold = self.config.budget + HANG_GRACE
        copy = dataclasses.replace(
            case,
            headers={
                name: (f"assay-resilience-{next(self._ids)}" if name.lower() == _IDEMPOTENCY else v)
                for name, v in case.headers.items()
            },
            kind="positive",
            mutation=None,
            note=f"resilience: {dependency} {fault}",
            timeout=hold + _ANSWER_GRACE if fault == "hang" else None,
        )
        request_id = self.tag(copy)
        copy.scenario = self._facts(dependency, fault, request_id, hold)
        return copy

    def _facts(self, dependency: str, fault: str, request_id: str, hold: float) -> dict[str, Any]:
        config = self.config
        return {
            "name": SCENARIO,
            "dependency": dependency,
            "fault": fault,
            "request_id": request_id,
            "budget": config.budget,
            "hold": hold,
            "max_calls": config.max_calls,
            "min_backoff": config.min_backoff,
        }
