"""What the auth phase's probes share: the base request, fitting credentials, sending.

Every probe starts from one valid request per operation (`base_case`: the examples
phase's first case, so documented examples are used when the spec has them) and
changes only who sends it or with which credential. A batch of such cases (one
operation's credential variants, its refused identities) goes at the same moment
(`AuthContext.execute_together`), into an in-process app as over the network; each
answer is judged on its own, so the order the app takes them in does not matter.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol

from assay.generation.cases import Case
from assay.spec.model import Operation, SecurityScheme, Spec

if TYPE_CHECKING:
    from assay.client.identities import Identity

__all__ = [
    "BASELINES",
    "CREDENTIALS",
    "STEP_ACCESS",
    "STEP_ASSIGNMENT",
    "STEP_EXISTENCE",
    "AuthContext",
    "base_case",
    "bearer_like",
    "configured_identities",
    "fits",
    "identity_fits",
    "protects_identities",
    "remember_baseline",
]

CREDENTIALS = "credentials: "
"""The mutation prefix of a credential-matrix case: ``credentials: alg_none``."""
STEP_ACCESS = "access"
STEP_EXISTENCE = "existence"
STEP_ASSIGNMENT = "mass_assignment"
BASELINES = "auth.baselines"
"""Check-context memory: operation label → the request as a fitting identity sent it."""

Execution = Any
"""The engine's `Execution` (an exchange or None, and fresh findings)."""


class AuthContext(Protocol):
    """What the auth phase needs from the engine's phase context."""

    spec: Spec
    operations: Sequence[Operation]
    settings: Any
    engine: Any
    phase: str

    @property
    def expired(self) -> bool: ...

    def execute(self, case: Case) -> Execution: ...

    def execute_together(self, cases: Sequence[Case]) -> list[Execution]:
        """Send `cases` at the same moment, then check each answer, in order; every
        execution is empty once the deadline has passed."""
        ...

    def factory(self, operation: Operation) -> Any: ...

    def for_each_operation(self, work: Callable[[Operation], bool]) -> None: ...


_SELF_SERVICE = re.compile(
    r"/(me|self|users?|accounts?|identities|members?|profiles?)(/|$)|password|roles?\b|"
    r"disable|deactivate|suspend|lock|log-?out|sign-?out|revoke|sessions?|tokens?",
    re.IGNORECASE,
)


def base_case(ctx: AuthContext, operation: Operation) -> Case | None:
    """A valid request for `operation` (None when no value can be made for it)."""
    from assay.generation.examples import example_cases

    factory = ctx.factory(operation)
    if factory is None:
        return None
    first: Case | None = next(iter(example_cases(operation, ctx.spec, factory)), None)
    if first is None:
        return None
    return replace(first, phase=ctx.phase, note=None)


def bearer_like(scheme: SecurityScheme) -> bool:
    """Schemes whose credential is ``Authorization: Bearer <token>``."""
    if scheme.type in ("oauth2", "openIdConnect"):
        return True
    return scheme.type == "http" and (scheme.scheme or "").lower() == "bearer"


def fits(identity: Identity, scheme: SecurityScheme) -> bool:
    """Whether an identity's credential is of the kind a security scheme takes."""
    if bearer_like(scheme):
        return identity.kind in ("oauth2", "bearer")
    if scheme.type == "http":
        return (scheme.scheme or "").lower() == "basic" and identity.kind == "basic"
    if scheme.type == "apiKey":
        return identity.kind == f"apiKey:{scheme.location}" or (
            scheme.location == "cookie" and identity.kind == "cookie"
        )
    return False


def identity_fits(identity: Identity, operation: Operation) -> bool:
    """Whether the identity's credential fits some security alternative of `operation`."""
    return any(
        r.schemes and all(fits(identity, s) for s, _ in r.schemes) for r in operation.security
    )


def configured_identities(ctx: AuthContext) -> list[Identity]:
    """The run's identities (the engine's disposable copies left out)."""
    identities: Mapping[str, Identity] = ctx.engine.client.identities
    return [i for name, i in identities.items() if "~" not in name]


def protects_identities(operation: Operation) -> bool:
    """Operations that could end, demote or disable the caller (DESIGN §5.15).

    The auth phase never sends them as a configured identity: logging out, deleting
    or editing one's own account, changing roles or passwords.
    """
    if _SELF_SERVICE.search(f"{operation.path} {operation.operation_id or ''}"):
        return operation.method != "get"
    return operation.method == "delete" and "{" not in operation.path


def remember_baseline(ctx: AuthContext, case: Case, execution: Execution) -> dict[str, Any] | None:
    """Keep the request a fitting identity sent, for the evidence of later findings."""
    if execution.exchange is None:
        return None
    entry = {
        "identity": case.identity,
        "status": execution.exchange.status,
        "curl": execution.exchange.curl,
    }
    memory: dict[str, Any] = ctx.engine.context.memory
    memory.setdefault(BASELINES, {})[case.label] = entry
    return entry
