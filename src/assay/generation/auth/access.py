"""The access matrix: every protected operation called as every identity.

What each identity may do comes from the spec and the configuration: an identity
whose credential fits an operation's scheme but lacks the OAuth2 scopes the operation
requires (its ``scopes`` in ``assay.toml``), or whose roles the ``[auth] policy`` does
not grant the operation, must be refused. Identities that declare neither scopes nor
roles the policy knows, and admin-like roles judged by scopes alone, are not judged.

Operations run in order: creations first, as an identity allowed to create, so that
the ids their answers carry fill the path parameters of later reads, updates and
deletes (a refusal of a request for a missing item proves nothing). For an item an
identity may not reach, the same request for an item that does not exist follows,
so a 403 / 404 difference that reveals which items exist shows up. The matrix (who
was expected to be refused, what each got) is kept for the report (event
``access_matrix``) and in the evidence of every access finding.

Never as a configured identity: operations that could log it out, delete or demote
it (`protects_identities`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from assay.generation.auth.probes import (
    STEP_ACCESS,
    STEP_EXISTENCE,
    AuthContext,
    base_case,
    configured_identities,
    fits,
    protects_identities,
    remember_baseline,
)
from assay.spec.model import Operation

if TYPE_CHECKING:
    from assay.client.identities import Identity
    from assay.generation.cases import Case

__all__ = ["MATRIX", "Expectation", "access_matrix", "expectation"]

MATRIX = "auth.matrix"
"""Check-context memory: operation label → identity → ``expected / answered``."""

_ORDER = {"post": 0, "get": 1, "put": 2, "patch": 2, "delete": 3}
_ADMIN_ROLES = frozenset({"admin", "administrator", "superuser", "root", "owner"})
_MISSING_ID = "assay-missing-0000"
_MISSING_NUMBER = 987_654_321


@dataclass(frozen=True, slots=True)
class Expectation:
    """Whether an identity may call an operation, and why."""

    allowed: bool
    reason: str


def expectation(
    identity: Identity, operation: Operation, policy: Mapping[str, list[str]]
) -> Expectation | None:
    """What the spec's scopes or the role policy expect for `identity` (None: unknown)."""
    fitting = [
        r for r in operation.security if r.schemes and all(fits(identity, s) for s, _ in r.schemes)
    ]
    if not fitting:
        return None
    known_roles = [role for role in identity.roles if role in policy]
    if known_roles:
        granted = {name for role in known_roles for name in policy[role]}
        names = {"*", operation.label, operation.operation_id}
        if granted & names:
            return Expectation(True, f"the policy grants {'/'.join(known_roles)}")
        return Expectation(False, f"the policy grants roles {sorted(known_roles)} no access")
    if not identity.scopes or {r.lower() for r in identity.roles} & _ADMIN_ROLES:
        return None
    missing: set[str] | None = None
    for requirement in fitting:
        needed = {scope for _, scopes in requirement.schemes for scope in scopes}
        lacking = needed - identity.scopes
        if not lacking:
            return Expectation(True, "holds the required scopes")
        missing = lacking if missing is None or len(lacking) < len(missing) else missing
    return Expectation(False, f"lacks the scope(s) {' '.join(sorted(missing or ()))}")


@dataclass(slots=True)
class Harvest:
    """Values the run's own creations answered with, by field name."""

    values: dict[str, Any] = field(default_factory=dict)

    def keep(self, operation: Operation, status: int, sent: Any, answer: Any) -> None:
        """Ids of a creation: from its 2xx answer, and from what it sent when it was
        created (2xx) or already existed (409)."""
        if operation.method != "post":
            return
        if 200 <= status < 300:
            self._keep(operation, answer)
        if 200 <= status < 300 or status == 409:
            self._keep(operation, sent)

    def _keep(self, operation: Operation, body: Any) -> None:
        if not isinstance(body, Mapping):
            return
        for name, value in body.items():
            if isinstance(value, str | int) and not isinstance(value, bool):
                self.values.setdefault(name, value)
                if name == "id":
                    self.values.setdefault(_singular_id(operation.path), value)

    def fill(self, case: Case) -> bool:
        """Put harvested ids into the path of `case`; True when every one was known."""
        path = [p for p in case.operation.parameters if p.location == "path"]
        for param in path:
            if param.name in self.values:
                case.path_parameters[param.name] = self.values[param.name]
        return bool(path) and all(p.name in self.values for p in path)


def _singular_id(path: str) -> str:
    """``/v1/orders`` → ``order_id`` (the path parameter name an item's id often has)."""
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return f"{last[:-1] if last.endswith('s') else last}_id"


def _json(execution: Any) -> Any:
    if execution is None or execution.exchange is None:
        return None
    try:
        return execution.exchange.response.json()
    except ValueError:
        return None


def access_matrix(ctx: AuthContext) -> None:
    """Send every protected operation as each identity expected to be refused."""
    identities = configured_identities(ctx)
    auth = ctx.settings.auth
    policy = auth.roles_policy() if auth is not None else {}
    if len(identities) < 2 and not policy:
        return
    harvest = Harvest()
    ordered = sorted(ctx.operations, key=lambda op: _ORDER.get(op.method, 4))
    for operation in ordered:
        if ctx.expired:
            return
        if operation.requires_auth and not protects_identities(operation):
            _operation(ctx, operation, identities, policy, harvest)


def _operation(
    ctx: AuthContext,
    operation: Operation,
    identities: list[Identity],
    policy: Mapping[str, list[str]],
    harvest: Harvest,
) -> None:
    expected = {i.name: expectation(i, operation, policy) for i in identities}
    denied = [n for n, e in expected.items() if e is not None and not e.allowed]
    allowed = [n for n, e in expected.items() if e is not None and e.allowed]
    base = base_case(ctx, operation)
    if base is None or (not denied and operation.method != "post"):
        return
    existing = harvest.fill(base)
    baseline = None
    sender = allowed[0] if allowed else ctx.engine.identity_for(operation)
    if sender is not None and sender not in denied and operation.method != "delete":
        first = replace(base, identity=sender)
        execution = ctx.execute(first)
        baseline = remember_baseline(ctx, first, execution)
        if baseline is not None:
            harvest.keep(operation, baseline["status"], first.body, _json(execution))
    _record(ctx, operation, expected, {}, baseline, final=False)
    cases = [_denied_case(base, name, expected, baseline) for name in denied]
    executions = ctx.execute_together(cases)
    answers = dict(zip(denied, executions, strict=True))
    _record(ctx, operation, expected, answers, baseline, final=True)
    if existing:
        _existence(ctx, base, cases, executions)


def _denied_case(
    base: Case, name: str, expected: Mapping[str, Expectation | None], baseline: Any
) -> Case:
    found = expected[name]
    facts = {
        "step": STEP_ACCESS,
        "identity": name,
        "expected": "refused",
        "reason": found.reason if found is not None else "",
        "baseline": baseline,
    }
    return replace(base, identity=name, scenario=facts, kind="positive")


def _existence(ctx: AuthContext, base: Case, cases: list[Case], executions: list[Any]) -> None:
    """For each identity refused an existing item with 403: the same for a missing item."""
    follow: list[Case] = []
    for case, execution in zip(cases, executions, strict=True):
        if execution is None or execution.exchange is None or execution.exchange.status != 403:
            continue
        missing = replace(case, path_parameters=dict(case.path_parameters))
        for param in [p for p in case.operation.parameters if p.location == "path"]:
            value = case.path_parameters.get(param.name)
            missing.path_parameters[param.name] = (
                _MISSING_NUMBER if isinstance(value, int) else _MISSING_ID
            )
        existing = {"status": 403, "curl": execution.exchange.curl, "id": case.path_parameters}
        missing.scenario = {**(case.scenario or {}), "step": STEP_EXISTENCE, "existing": existing}
        follow.append(missing)
    ctx.execute_together(follow)


def _record(
    ctx: AuthContext,
    operation: Operation,
    expected: Mapping[str, Expectation | None],
    answers: Mapping[str, Any],
    baseline: Mapping[str, Any] | None,
    *,
    final: bool,
) -> None:
    """The operation's row of the matrix (before the refused identities' answers, then
    with them: checks judging those answers fill in their own cell)."""
    row: dict[str, str] = {}
    sender = baseline.get("identity") if baseline is not None else None
    for name, found in expected.items():
        if found is None:
            if name == sender and baseline is not None:
                row[name] = f"allow / {baseline['status']}"
            continue
        execution = answers.get(name)
        if execution is not None and execution.exchange is not None:
            status: Any = execution.exchange.status
        elif baseline is not None and baseline.get("identity") == name:
            status = baseline["status"]
        else:
            status = "-"
        row[name] = f"{'allow' if found.allowed else 'deny'} / {status}"
    if row:
        matrix: dict[str, Any] = ctx.engine.context.memory.setdefault(MATRIX, {})
        matrix[operation.label] = row
        if final:
            ctx.engine.events.emit("access_matrix", operation=operation.label, row=row)
