"""The runner: sends every case of every phase, runs the checks, keeps the findings.

`run_engine(target, settings=...)` is the whole engine behind ``assay run``: it opens
an `APITestClient` on the target (an ASGI app, an import string or a base URL), runs
the selected phases over the selected operations, and returns a `RunResult`. Events
go to the sinks as the run goes, so a crash, Ctrl-C or ``max_time`` keeps every
finding found so far.
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from assay.checks.registry import Check, CheckContext, Exchange, select_checks
from assay.client.client import APITestClient
from assay.client.identities import Identity
from assay.client.messages import APITestResponse
from assay.client.network import ConnectionProblem
from assay.engine.events import Events, EventSink
from assay.engine.findings import FindingStore, StoredFinding
from assay.engine.senders import identity_for
from assay.engine.settings import RunSettings
from assay.errors import AssayError, Finding, Reproduction, Severity
from assay.generation.auth.access import MATRIX as ACCESS_MATRIX
from assay.generation.cases import ANONYMOUS, Case
from assay.generation.sending import case_request, send_case
from assay.spec.model import Operation, Spec

__all__ = ["Engine", "Execution", "RunAborted", "RunResult", "run_engine", "send_case"]

_MAX_CONSECUTIVE_FAILURES = 5
_SESSION_CASES = 3
"""Session-ending cases per operation and phase (each costs the identity one login)."""
_SESSION_PHASES = frozenset({"examples", "boundary"})
_SESSION_ENDING = re.compile(r"log-?out|sign-?out|revoke", re.IGNORECASE)


def ends_session(operation: Operation) -> bool:
    """Whether an operation looks like it ends the caller's session (logout, revoke)."""
    return bool(_SESSION_ENDING.search(f"{operation.path} {operation.operation_id or ''}"))


@dataclass(slots=True)
class Execution:
    """One executed case: its exchange (None without a response) and its fresh findings."""

    exchange: Exchange | None
    findings: list[Finding]


class RunAborted(AssayError):
    """The target stopped answering; the run ends with what it found so far."""


@dataclass(slots=True)
class RunResult:
    """What a run did and found; `to_dict` is the ``report.json`` document."""

    target: str
    seed: int
    settings: RunSettings
    spec_title: str
    operations: list[str]
    checks: list[str]
    stored: list[StoredFinding]
    cases: int
    coverage: dict[str, dict[str, Any]]
    started_at: float
    duration_s: float
    stopped: str | None = None
    """Why the run ended early: ``max_time``, ``interrupted`` or ``aborted: …``."""
    internal_errors: list[str] = field(default_factory=list)
    access_matrix: dict[str, dict[str, str]] = field(default_factory=dict)
    """The auth phase's matrix: operation → identity → ``allow|deny / status``."""

    @property
    def findings(self) -> list[Finding]:
        return [s.finding for s in self.stored]


class Engine:
    """One run over one target. Use `run_engine` unless you need the pieces."""

    def __init__(
        self,
        client: APITestClient,
        settings: RunSettings,
        *,
        target: str,
        sinks: list[EventSink] | None = None,
    ) -> None:
        self.client = client
        self.settings = settings.with_seed()
        self.target = target
        self.spec: Spec = client.spec
        self.events = Events(sinks or [])
        self.store = FindingStore()
        self.checks: list[Check] = select_checks(settings.checks, settings.exclude_checks)
        self.context = CheckContext(
            spec=self.spec,
            validator=client.validator,
            client=client,
            settings={"latency_budget_ms": settings.latency_budget_ms},
        )
        self.operations = select_operations(self.spec, settings.operations)
        self.coverage: dict[str, dict[str, Any]] = {
            op.label: {"cases": 0, "phases": Counter(), "statuses": Counter()}
            for op in self.operations
        }
        self.cases = 0
        self.listeners: list[Callable[[Engine, Case], None]] = []
        """Called after every case (a progress display); must be cheap."""
        self.internal_errors: list[str] = []
        self._lock = threading.Lock()
        self._failures = 0
        self._value_factory: Any = None
        self._session_cases: dict[tuple[str, str], int] = {}
        self._disposables: dict[str, Identity] = {}
        self._deadline = (
            time.monotonic() + settings.max_time if settings.max_time is not None else None
        )

    @property
    def seed(self) -> int:
        assert self.settings.seed is not None
        return self.settings.seed

    @property
    def expired(self) -> bool:
        return self._deadline is not None and time.monotonic() >= self._deadline

    # -- sending one case -----------------------------------------------------------

    def execute(self, case: Case) -> Execution:
        """Send `case` and run the checks on the answer.

        Returns the exchange (None when no response came) and the findings that are new
        or now have a smaller case.
        """
        if not self._ready(case):
            return Execution(None, [])
        started = time.perf_counter()
        try:
            response = self._send_once_more_on_reset(case)
        except ConnectionProblem as exc:
            return Execution(None, self._no_response(case, exc))
        except AssayError as exc:  # an identity cannot log in, a case cannot be built
            raise RunAborted(exc.message, hint=exc.hint) from None
        return self._conclude(case, response, (time.perf_counter() - started) * 1000)

    def execute_together(self, cases: Sequence[Case]) -> list[Execution]:
        """Send `cases` at the same moment, then run the checks on each answer in order.

        The group goes out through `APITestClient.send_together` (threads released
        together; an in-process app takes them concurrently), so a race between them is
        a race in the app. One execution per case, in order: nothing is sent once the
        deadline has passed (every execution is then empty), and a case the session
        guard skips has none either. A connection reset is retried once, on its own.
        """
        if self.expired:
            return [Execution(None, []) for _ in cases]
        ready = [self._ready(case) for case in cases]
        try:
            requests = [
                case_request(case, identity=self._sender(case), validate=False)
                for case, go in zip(cases, ready, strict=True)
                if go
            ]
            answers = iter(self.client.send_together(requests, return_exceptions=True))
        except AssayError as exc:  # a case cannot be built: nothing of the group was sent
            raise RunAborted(exc.message, hint=exc.hint) from None
        return [
            self._settle(case, next(answers)) if go else Execution(None, [])
            for case, go in zip(cases, ready, strict=True)
        ]

    def _settle(self, case: Case, outcome: APITestResponse | Exception) -> Execution:
        """The execution of one case of a group, from its response or its error."""
        if isinstance(outcome, ConnectionProblem) and outcome.kind == "reset":
            return self.execute(case)
        if isinstance(outcome, ConnectionProblem):
            return Execution(None, self._no_response(case, outcome))
        if isinstance(outcome, AssayError):
            raise RunAborted(outcome.message, hint=outcome.hint) from None
        if isinstance(outcome, Exception):
            raise outcome
        return self._conclude(case, outcome, outcome.elapsed_ms)

    def _ready(self, case: Case) -> bool:
        """Choose the case's identity; False when the session guard skips the case."""
        if case.identity is None:
            case.identity = self.identity_for(case.operation)
        return not (
            case.identity not in (None, ANONYMOUS)
            and ends_session(case.operation)
            and not self._protect_session(case)
        )

    def _conclude(self, case: Case, response: APITestResponse, elapsed_ms: float) -> Execution:
        """Count the answer, run the checks on it, keep the fresh findings."""
        self._failures = 0
        exchange = Exchange(case, response, elapsed_ms)
        self._count(case, response.status_code)
        found = [f for c in self.checks if c.applies_to(case.phase) for f in self._run(c, exchange)]
        fresh = self._record(found, case)
        for listener in self.listeners:
            listener(self, case)
        return Execution(exchange, fresh)

    def _protect_session(self, case: Case) -> bool:
        """Send a session-ending case with a disposable copy of its identity, or skip it.

        Logging out or revoking with the identity's own token would end the session the
        rest of the run relies on (DESIGN principle 15). Each case gets a copy that logs
        in on its own; at most a few per operation and phase, so the copies' logins do
        not trip the service's login rate limit, and only in the examples and boundary
        phases (the fuzz phase fuzzes the login endpoint too and uses up that limit).
        Fixed credentials cannot be renewed: such cases are skipped and counted.
        """
        assert case.identity is not None
        if case.identity in self._disposables:
            return True  # already a session of its own (a probe's, or an earlier copy)
        key = (case.phase, case.label)
        sent = self._session_cases.get(key, 0)
        original = self.client.identities.get(case.identity)
        copy = original.disposable(f"{case.identity}~disposable") if original else None
        if copy is None or sent >= _SESSION_CASES or case.phase not in _SESSION_PHASES:
            self._count_skipped(case)
            return False
        self._session_cases[key] = sent + 1
        self._disposables[copy.name] = copy
        case.identity = copy.name
        return True

    def adopt(self, identity: Identity) -> str:
        """Let cases name `identity`, one the run made for itself; returns its name.

        Probes that log in on their own, or send without any credentials, use this:
        an adopted identity is never replaced by a disposable copy and never shares
        a cookie jar with the configured identities.
        """
        with self._lock:
            self._disposables[identity.name] = identity
        return identity.name

    def _count_skipped(self, case: Case) -> None:
        with self._lock:
            entry = self.coverage.get(case.label)
            if entry is not None:
                entry["skipped"] = entry.get("skipped", 0) + 1

    def _send_once_more_on_reset(self, case: Case) -> APITestResponse:
        """Send; a connection reset is tried once more on a fresh connection.

        A server may close a kept-alive connection (after a 500, on its idle timeout)
        just as the next request goes out on it: that reset says nothing about the case.
        """
        try:
            return self.send(case)
        except ConnectionProblem as exc:
            if exc.kind != "reset":
                raise
        return self.send(case)

    def send(self, case: Case) -> APITestResponse:
        """Send `case` as it is (no checks, no counting)."""
        return send_case(self.client, case, identity=self._sender(case), validate=False)

    def _sender(self, case: Case) -> str | Identity | None:
        """Who sends `case`: a run's own identity (a disposable copy, an adopted one) or
        the name of a configured one."""
        return self._disposables.get(case.identity or "", case.identity)

    def _run(self, check: Check, exchange: Exchange) -> list[Finding]:
        try:
            check.function(self.context, exchange)
        except Finding as finding:
            return [finding]
        except AssayError:
            raise
        except Exception as exc:  # a bug of ours: report it, keep going
            message = f"check {check.name} crashed on {exchange.case.label}: {exc!r}"
            self.internal_errors.append(message)
            self.events.emit("internal_error", message=message)
        return []

    def _record(self, found: list[Finding], case: Case) -> list[Finding]:
        fresh: list[Finding] = []
        size = case.size()
        with self._lock:
            for finding in found:
                stored, changed = self.store.add(finding, size)
                if changed:
                    fresh.append(finding)
                    self.events.emit("finding", finding=stored.to_dict())
        return fresh

    def _count(self, case: Case, status: int) -> None:
        with self._lock:
            self.cases += 1
            entry = self.coverage.get(case.label)
            if entry is not None:
                entry["cases"] += 1
                entry["phases"][case.phase] += 1
                entry["statuses"][str(status)] += 1

    def _no_response(self, case: Case, error: AssayError) -> list[Finding]:
        self._failures += 1
        self._count(case, 0)
        if self._failures >= _MAX_CONSECUTIVE_FAILURES:
            raise RunAborted(
                f"the target stopped answering: {_MAX_CONSECUTIVE_FAILURES} requests in a row "
                f"failed, the last one with: {error.message}",
                hint="Check that the service is up and not overloaded; the findings so far "
                "are in the report.",
            )
        finding = Finding(
            "no response: the request failed at the connection",
            check="no_response",
            severity=Severity.HIGH,
            operation=case.label,
            detail=error.message,
            evidence={"case": case.to_dict(), "error": error.message},
            reproduction=Reproduction(curl=f"# {case.http_method} {case.operation.path}"),
            signature=error.message.split(":")[0],
        )
        return self._record([finding], case)

    def value_factory(self) -> Any:
        """The run's value factory (built once, on first use), or None when unavailable."""
        if self._value_factory is None:
            from assay.engine.phases import load_generator

            factory_class = load_generator("assay.generation.values", "ValueFactory")
            self._value_factory = factory_class(self.spec, self.seed) if factory_class else False
        return self._value_factory or None

    # -- identities -------------------------------------------------------------------

    def identity_for(self, operation: Operation) -> str | None:
        """The identity that sends an operation's cases (`assay.engine.senders`)."""
        return identity_for(self.spec, list(self.client.identities.values()), operation)

    def log_in(self) -> None:
        """Let every identity log in before the first case (fail fast, once).

        Later, fuzzing a login endpoint may make the service rate-limit logins; identities
        that already hold a token are not affected.
        """
        for identity in self.client.identities.values():
            if identity.auth is None or identity.kind in ("bearer", "basic", "cookie"):
                continue
            try:
                self.client.request("GET", "/openapi.json", identity=identity.name, validate=False)
            except AssayError as exc:
                raise RunAborted(
                    f"identity {identity.name!r} could not log in before the run: {exc.message}",
                    hint=exc.hint or "Check its credentials in the configuration.",
                ) from None

    # -- the whole run ----------------------------------------------------------------

    def run(self) -> RunResult:
        """Run every selected phase; stops cleanly on max_time, Ctrl-C or a dead target."""
        from assay.engine.phases import PHASES, PhaseContext

        started = time.time()
        self._start_event()
        stopped: str | None = None
        try:
            self.log_in()
            for phase in self.settings.phases:
                if self.expired:
                    stopped = "max_time"
                    break
                self._run_phase(phase, PHASES[phase], PhaseContext(self, phase))
            if stopped is None and self.expired:
                stopped = "max_time"
        except KeyboardInterrupt:
            stopped = "interrupted"
        except RunAborted as exc:
            stopped = f"aborted: {exc}"
        result = self._result(started, stopped)
        self.events.emit("run_finished", summary=summary_of(result))
        self.events.close()
        return result

    def _run_phase(self, name: str, phase: Any, context: Any) -> None:
        before_cases, before_findings = self.cases, len(self.store)
        self.events.emit("phase_started", phase=name, operations=len(self.operations))
        skipped = phase(context)
        self.events.emit(
            "phase_finished",
            phase=name,
            cases=self.cases - before_cases,
            findings=len(self.store) - before_findings,
            skipped=skipped,
        )

    def _start_event(self) -> None:
        self.events.emit(
            "run_started",
            target=self.target,
            seed=self.seed,
            phases=list(self.settings.phases),
            checks=[c.name for c in self.checks],
            operations=[op.label for op in self.operations],
        )

    def _result(self, started: float, stopped: str | None) -> RunResult:
        return RunResult(
            target=self.target,
            seed=self.seed,
            settings=self.settings,
            spec_title=f"{self.spec.title} {self.spec.version}",
            operations=[op.label for op in self.operations],
            checks=[c.name for c in self.checks],
            stored=self.store.all(),
            cases=self.cases,
            coverage=self.coverage,
            started_at=started,
            duration_s=time.time() - started,
            stopped=stopped,
            internal_errors=list(self.internal_errors),
            access_matrix=dict(self.context.memory.get(ACCESS_MATRIX, {})),
        )


def select_operations(spec: Spec, wanted: tuple[str, ...]) -> list[Operation]:
    """The operations named in `wanted` (operationId or ``METHOD /path``); all when empty."""
    if not wanted:
        return list(spec.operations)
    chosen = [op for op in spec.operations if op.operation_id in wanted or op.label in wanted]
    known = {op.operation_id for op in spec.operations} | {op.label for op in spec.operations}
    unknown = [w for w in wanted if w not in known]
    if unknown:
        raise AssayError(
            f"no operation called {', '.join(map(repr, unknown))} in the spec",
            hint="Use an operationId or 'METHOD /path' as `assay spec` lists them.",
        )
    return chosen


def summary_of(result: RunResult) -> dict[str, Any]:
    by_check = Counter(s.finding.check for s in result.stored)
    return {
        "cases": result.cases,
        "findings": len(result.stored),
        "by_check": dict(sorted(by_check.items())),
        "duration_s": round(result.duration_s, 3),
        "stopped": result.stopped,
    }


def open_client(
    target: Any, settings: RunSettings, *, spec: Any = None
) -> tuple[APITestClient, str]:
    """A client on `target` (app, import string or URL) for the engine, and its label."""
    identities: list[Identity] = list(settings.identities)
    common: dict[str, Any] = {
        "spec": spec if spec is not None else "auto",
        "identities": identities,
        "validate": False,
        "timeout": settings.timeout,
        "record": 1,
    }
    if isinstance(target, str) and target.startswith(("http://", "https://")):
        return APITestClient(base_url=target.rstrip("/"), **common), target
    label = target if isinstance(target, str) else _app_label(target)
    return APITestClient(target, raise_app_exceptions=False, **common), label


def _app_label(app: Any) -> str:
    return f"{type(app).__module__}.{type(app).__qualname__} object"


def run_engine(
    target: Any,
    *,
    settings: RunSettings | None = None,
    spec: Any = None,
    sinks: list[EventSink] | None = None,
) -> RunResult:
    """Run the engine on `target` (an ASGI app, ``package.module:app`` or a base URL)."""
    chosen = settings or RunSettings()
    client, label = open_client(target, chosen, spec=spec)
    with client:
        return Engine(client, chosen, target=label, sinks=sinks).run()
