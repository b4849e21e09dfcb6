"""The phases of a run: each turns operations into cases and hands them to the engine.

A phase is a function ``(PhaseContext) -> str | None`` returning None when it ran, or
the reason it was skipped. Generators live in the generation layer; a phase only
orders the work, respects the deadline, and derives per-operation seeds so one
operation's cases do not depend on which other operations were selected.
"""

from __future__ import annotations

import concurrent.futures
import importlib
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from assay.generation.cases import Case
from assay.spec.model import Operation

if TYPE_CHECKING:
    from assay.engine.runner import Engine, Execution

__all__ = ["PHASES", "PhaseContext"]

_PROBED_METHODS = ("get", "put", "post", "patch", "delete")


class PhaseContext:
    """What a phase works with: the operations, seeds, the deadline and `execute`."""

    def __init__(self, engine: Engine, phase: str) -> None:
        self.engine = engine
        self.phase = phase
        self.spec = engine.spec
        self.settings = engine.settings
        self.operations = engine.operations
        self._factories: dict[int, Any] = {}
        self._lock = threading.Lock()

    @property
    def expired(self) -> bool:
        return self.engine.expired

    def execute(self, case: Case) -> Execution:
        """Send `case` (as this phase) and run the checks: its exchange and fresh findings."""
        case.phase = self.phase
        return self.engine.execute(case)

    def execute_together(self, cases: Sequence[Case]) -> list[Execution]:
        """Send `cases` at the same moment (as this phase), then check each answer in
        order (`Engine.execute_together`)."""
        for case in cases:
            case.phase = self.phase
        return self.engine.execute_together(cases)

    def seed_for(self, operation: Operation) -> int:
        """A seed per (run seed, phase, operation): stable whatever else is selected."""
        key = f"{self.phase}:{operation.label}".encode()
        return (self.engine.seed ^ zlib.crc32(key)) & 0xFFFFFFFF

    def factory(self, operation: Operation) -> Any:
        """The generation layer's value factory, seeded for `operation` (None if absent).

        One factory is built per run (it prepares every schema of the spec once) and
        forked per phase and operation, so values do not depend on what else runs.
        """
        seed = self.seed_for(operation)
        with self._lock:
            if seed not in self._factories:
                base = self.engine.value_factory()
                fork = base.fork(f"{self.phase}:{operation.label}") if base else None
                self._factories[seed] = fork
            return self._factories[seed]

    def for_each_operation(self, work: Callable[[Operation], bool]) -> None:
        """Run `work` per operation: in order, or on ``concurrency`` threads for a live URL.

        `work` returns False when the deadline stopped it; the remaining operations are
        then not started. In-process apps always run in order (one event loop drives them).
        """
        workers = self.settings.concurrency
        if workers <= 1 or self.engine.client.in_process:
            for operation in self.operations:
                if not work(operation):
                    return
            return
        with concurrent.futures.ThreadPoolExecutor(workers, "assay-run") as pool:
            for done in pool.map(lambda op: self.expired or work(op), self.operations):
                if not done:
                    break

    def run_all(self, cases: Iterable[Case]) -> bool:
        """Execute cases until the deadline; False when the deadline stopped it."""
        for case in cases:
            if self.expired:
                return False
            self.execute(case)
        return True


def load_generator(module: str, name: str) -> Any:
    try:
        loaded = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
        return None
    return getattr(loaded, name, None)


def _per_operation(module: str, name: str, limit: bool) -> Callable[[PhaseContext], str | None]:
    def phase(ctx: PhaseContext) -> str | None:
        generate = load_generator(module, name)
        if generate is None:
            return f"{module} is not available"

        def work(operation: Operation) -> bool:
            cases: Iterator[Case] = generate(operation, ctx.spec, ctx.factory(operation))
            if limit:
                cases = _take(cases, ctx.settings.max_cases)
            return ctx.run_all(cases)

        ctx.for_each_operation(work)
        return None

    return phase


def _take(cases: Iterator[Case], limit: int) -> Iterator[Case]:
    for index, case in enumerate(cases):
        if index >= limit:
            return
        yield case


def fuzz_phase(ctx: PhaseContext) -> str | None:
    """Property-based positive and negative cases, shrunk on failure."""
    run_fuzz = load_generator("assay.generation.fuzz", "run_fuzz")
    if run_fuzz is None:
        return "assay.generation.fuzz is not available"
    if ctx.settings.max_examples == 0:
        return "max_examples is 0"
    for operation in ctx.operations:
        for kind in ("positive", "negative"):
            if ctx.expired:
                return None
            run_fuzz(
                operation,
                ctx.spec,
                lambda case: bool(ctx.execute(case).findings) and not ctx.expired,
                seed=ctx.seed_for(operation),
                max_examples=ctx.settings.max_examples,
                kind=kind,
            )
    return None


def _whole_run(module: str, name: str) -> Callable[[PhaseContext], str | None]:
    """A phase whose generator drives the whole run itself: ``name(ctx)`` in `module`.

    The generator sends through ``ctx.execute`` and may return the reason it skipped.
    """

    def phase(ctx: PhaseContext) -> str | None:
        run = load_generator(module, name)
        if run is None:
            return f"{module} is not available"
        skipped: str | None = run(ctx)
        return skipped

    return phase


def semantics_phase(ctx: PhaseContext) -> str | None:
    """Undeclared methods on every path (405 + Allow), and HEAD / OPTIONS."""
    by_path: dict[str, list[Operation]] = {}
    for operation in ctx.operations:
        by_path.setdefault(operation.path, []).append(operation)
    for operations in by_path.values():
        declared = {op.method for op in operations}
        template = operations[0]
        path_values = _path_values(ctx, template)
        methods = [m for m in _PROBED_METHODS if m not in declared]
        if "get" in declared and "head" not in declared:
            methods.append("head")
        if "options" not in declared:
            methods.append("options")
        for method in methods:
            case = Case(
                template,
                path_parameters=dict(path_values),
                method=method.upper(),
                kind="positive" if method in ("head", "options") else "negative",
                mutation=None
                if method in ("head", "options")
                else f"{method.upper()} is not declared",
                note=f"{method.upper()} {template.path} (declared: {sorted(declared)})",
            )
            if not ctx.run_all([case]):
                return None
        if not ctx.run_all(_accept_probes(operations, path_values)):
            return None
    return None


def _accept_probes(operations: list[Operation], path_values: dict[str, Any]) -> Iterator[Case]:
    """GETs asking for HTML (debug pages render for browsers) or for an unoffered type."""
    for operation in operations:
        if operation.method != "get" or any(
            p.required and p.location != "path" for p in operation.parameters
        ):
            continue
        offered = {m for r in operation.responses.values() for m in r.content}
        accepts = ["text/html"] + (["application/x-unsupported"] if len(offered) > 1 else [])
        for accept in accepts:
            yield Case(
                operation,
                path_parameters=dict(path_values),
                headers={"Accept": accept},
                note=f"Accept: {accept}",
            )


def _path_values(ctx: PhaseContext, operation: Operation) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for parameter in operation.parameters:
        if parameter.location != "path":
            continue
        factory = ctx.factory(operation)
        values[parameter.name] = factory.for_parameter(parameter) if factory else 1
    return values


PHASES: dict[str, Callable[[PhaseContext], str | None]] = {
    "examples": _per_operation("assay.generation.examples", "example_cases", limit=False),
    "boundary": _per_operation("assay.generation.boundary", "boundary_cases", limit=True),
    "fuzz": fuzz_phase,
    "stateful": _whole_run("assay.generation.stateful", "run_scenarios"),
    "semantics": semantics_phase,
    "auth": _whole_run("assay.generation.auth", "run_auth"),
    "security": _whole_run("assay.generation.security", "run_security"),
    "queries": _whole_run("assay.generation.queries", "run_queries"),
    "resilience": _whole_run("assay.resilience.phase", "run_resilience"),
}
