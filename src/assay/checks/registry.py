"""The registry of checks, the context they run in, and the exchange they look at."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assay.errors import AssayError, Finding, Reproduction, Severity

if TYPE_CHECKING:
    from assay.client.client import APITestClient
    from assay.client.messages import APITestResponse
    from assay.generation.cases import Case
    from assay.spec.model import Spec
    from assay.spec.validation import SpecValidator

__all__ = [
    "Check",
    "CheckContext",
    "CheckFunction",
    "Exchange",
    "all_checks",
    "check",
    "get_check",
    "select_checks",
]

# The modules that define checks; imported on first use of the registry.
FAMILIES: tuple[str, ...] = (
    "assay.checks.conformance",
    "assay.checks.robustness",
    "assay.checks.semantics",
    "assay.checks.exposure",
    "assay.checks.consistency",
    "assay.checks.performance",
    "assay.checks.queries",
    "assay.checks.state",
    "assay.checks.auth",
    "assay.checks.access",
    "assay.checks.headers",
    "assay.checks.cors",
    "assay.checks.sessions",
    "assay.checks.limits",
    "assay.checks.enumeration",
    "assay.checks.injection",
    "assay.checks.sql_injection",
    "assay.checks.secrets",
    "assay.checks.resilience",
)


@dataclass(slots=True)
class Exchange:
    """A case as sent and the response it got (what a check looks at)."""

    case: Case
    response: APITestResponse
    elapsed_ms: float

    @property
    def status(self) -> int:
        return self.response.status_code

    @property
    def curl(self) -> str:
        return self.response.curl


@dataclass(slots=True)
class CheckContext:
    """What a check may use besides the exchange: the spec, a validator, the client.

    ``client`` is for follow-up requests (a check that re-sends a GET to see whether it is
    idempotent); ``settings`` holds run-wide values such as the latency budget; ``memory``
    is per-run scratch space a check may keep state in (keyed by the check's name).
    """

    spec: Spec
    validator: SpecValidator
    client: APITestClient
    settings: Mapping[str, Any] = field(default_factory=dict)
    memory: dict[str, Any] = field(default_factory=dict)

    def finding(
        self,
        exchange: Exchange,
        title: str,
        *,
        check: str,
        severity: Severity | None = None,
        detail: str | None = None,
        evidence: Mapping[str, Any] | None = None,
        signature: str | None = None,
    ) -> Finding:
        """A `Finding` for `exchange`, with the curl reproduction and the case attached.

        ``signature`` distinguishes findings of one check on one operation that are
        different defects (two different missing headers); it defaults to the title.
        """
        registered = _REGISTRY.get(check)
        level = (
            severity
            if severity is not None
            else (registered.severity if registered else Severity.MEDIUM)
        )
        found = Finding(
            title,
            check=check,
            severity=level,
            operation=exchange.case.label,
            detail=detail,
            evidence={"status": exchange.status, **dict(evidence or {})},
            reproduction=Reproduction(curl=exchange.curl),
            signature=signature,
        )
        found.evidence.setdefault("case", exchange.case.to_dict())
        return found


CheckFunction = Callable[[CheckContext, Exchange], None]


@dataclass(frozen=True, slots=True)
class Check:
    """A registered check: its name, family, severity, when it applies, and its text."""

    name: str
    function: CheckFunction
    family: str
    severity: Severity
    description: str
    default: bool = True
    phases: frozenset[str] | None = None
    """Phases whose exchanges it looks at (None: all)."""

    def applies_to(self, phase: str) -> bool:
        return self.phases is None or phase in self.phases


_REGISTRY: dict[str, Check] = {}
_loaded = False


def check(
    *,
    name: str | None = None,
    family: str,
    severity: Severity = Severity.MEDIUM,
    default: bool = True,
    phases: Iterable[str] | None = None,
) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check function; its docstring is its documentation (required)."""

    def register(function: CheckFunction) -> CheckFunction:
        check_name = name or function.__name__
        doc = inspect.getdoc(function)
        if not doc:
            raise AssayError(f"check {check_name!r} has no docstring: say when it fires and why")
        previous = _REGISTRY.get(check_name)
        if previous is not None and _origin(previous.function) != _origin(function):
            raise AssayError(
                f"two checks are registered as {check_name!r}: "
                f"{_origin(previous.function)} and {_origin(function)}"
            )
        _REGISTRY[check_name] = Check(
            check_name,
            function,
            family,
            severity,
            doc,
            default,
            frozenset(phases) if phases is not None else None,
        )
        return function

    return register


def _origin(function: CheckFunction) -> str:
    """Where a check is defined; the same module imported twice registers it again."""
    return f"{function.__module__.rpartition('.')[2]}.{function.__qualname__}"


def _load() -> None:
    global _loaded  # noqa: PLW0603 - the registry is filled once, on first use
    if _loaded:
        return
    _loaded = True
    for module in FAMILIES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise


def all_checks() -> list[Check]:
    """Every registered check, sorted by family then name."""
    _load()
    return sorted(_REGISTRY.values(), key=lambda c: (c.family, c.name))


def get_check(name: str) -> Check:
    """The check called `name`, or an `AssayError` listing the known ones."""
    _load()
    found = _REGISTRY.get(name)
    if found is None:
        known = ", ".join(sorted(_REGISTRY))
        raise AssayError(f"there is no check called {name!r}", hint=f"Known checks: {known}.")
    return found


def select_checks(include: Iterable[str] | None = None, exclude: Iterable[str] = ()) -> list[Check]:
    """The checks to run: `include` (names or ``all``; default: the default set) minus `exclude`."""
    _load()
    names = list(include or [])
    if not names:
        chosen = [c for c in all_checks() if c.default]
    elif "all" in names:
        chosen = all_checks()
    else:
        chosen = [get_check(n) for n in names]
    dropped = {get_check(n).name for n in exclude}
    return [c for c in chosen if c.name not in dropped]
