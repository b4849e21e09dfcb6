"""Access control: may each identity do only what it is allowed to?

These checks judge the auth phase's access matrix and mass-assignment probes
(`assay.generation.auth.access`, `assay.generation.auth.assignment`): cases whose
``Case.scenario`` step is ``access`` (an identity the spec's scopes or the role policy
say must be refused), ``existence`` (the same refused request for an item that does
not exist), ``token_scopes`` (a token request for scopes the identity does not hold)
or ``mass_assignment`` (a creation with fields a client must not set). Evidence holds
the request pair and, for access findings, the operation's row of the matrix.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from assay.checks.registry import check
from assay.errors import Severity
from assay.generation.auth.access import MATRIX
from assay.generation.auth.grants import STEP_TOKEN_SCOPES
from assay.generation.auth.probes import STEP_ACCESS, STEP_ASSIGNMENT, STEP_EXISTENCE
from assay.generation.cases import ANONYMOUS

if TYPE_CHECKING:
    from assay.checks.registry import CheckContext, Exchange

__all__ = [
    "authorization_not_enforced",
    "existence_disclosed",
    "mass_assignment",
    "matrix_table",
    "public_operation_exposes_users",
    "token_grants_unheld_scopes",
]

_SPEC_TEXT = "access.spec_text"
_PAST_AUTHORIZATION = frozenset({409, 412, 428})
"""Refusals only a handler gives, after authorization: conflicts and preconditions."""


def _facts(exchange: Exchange, step: str) -> Mapping[str, Any] | None:
    scenario = exchange.case.scenario
    if exchange.case.phase != "auth" or scenario is None or scenario.get("step") != step:
        return None
    return scenario


def matrix_table(matrix: Mapping[str, Mapping[str, str]]) -> str:
    """The access matrix as a markdown table: operations by identities, expected / answered."""
    names = sorted({name for row in matrix.values() for name in row})
    lines = [
        "| operation | " + " | ".join(names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for label, row in sorted(matrix.items()):
        lines.append(f"| {label} | " + " | ".join(row.get(n, "") for n in names) + " |")
    return "\n".join(lines)


def _json(exchange: Exchange) -> Any:
    try:
        return exchange.response.json()
    except ValueError:
        return None


@check(family="access", phases=("auth",), severity=Severity.CRITICAL)
def authorization_not_enforced(ctx: CheckContext, exchange: Exchange) -> None:
    """An identity that must be refused an operation was served (function-level access).

    Fires on the access matrix: the identity's credential fits the operation, but it
    lacks the OAuth2 scopes the operation declares (per its ``scopes`` in the
    configuration) or the ``[auth] policy`` grants none of its roles the operation —
    and the answer was 2xx, or the same 409/412/428 an allowed identity got (those
    come from the handler, after authorization). Missing scope enforcement and admin
    operations open to users. CWE-285, OWASP API5:2023.
    """
    facts = _facts(exchange, STEP_ACCESS)
    if facts is None:
        return
    baseline = facts.get("baseline") or {}
    status = exchange.status
    served = 200 <= status < 300
    handled = status in _PAST_AUTHORIZATION and baseline.get("status") == status
    if not served and not handled:
        return
    row = {**ctx.memory.get(MATRIX, {}).get(exchange.case.label, {})}
    row[str(facts["identity"])] = f"deny / {status}"
    raise ctx.finding(
        exchange,
        f"{facts['identity']} was not refused ({status}): {facts['reason']}",
        check="authorization_not_enforced",
        detail=f"Identity {facts['identity']!r} {facts['reason']}, so it must be refused "
        f"with 403; the answer was {status}"
        + (" (as for an allowed identity: the handler ran)" if handled else "")
        + ". Enforce the scopes and roles on the route (e.g. Security(..., scopes=[...])).",
        evidence={
            "identity": facts["identity"],
            "reason": facts["reason"],
            "cwe": "CWE-285: Improper Authorization",
            "owasp": "API5:2023 Broken Function Level Authorization",
            "requests": {"allowed_identity": baseline or None, "refused_identity": _sent(exchange)},
            "matrix": matrix_table({exchange.case.label: row}) if row else None,
        },
        signature=str(facts["identity"]),
    )


def _sent(exchange: Exchange) -> dict[str, Any]:
    return {"identity": exchange.case.identity, "status": exchange.status, "curl": exchange.curl}


@check(family="access", phases=("auth",), severity=Severity.LOW)
def existence_disclosed(ctx: CheckContext, exchange: Exchange) -> None:
    """An identity refused an item with 403 gets 404 for an item that does not exist.

    Fires on the access matrix's follow-up: the identity was refused an existing item
    (which the run created) with 403, and the same request for a missing id answered
    404. The difference tells anyone without access which ids exist (enumeration).
    Answer both the same way (404, or 403 before looking the item up). CWE-204, OWASP
    API1:2023.
    """
    facts = _facts(exchange, STEP_EXISTENCE)
    if facts is None or exchange.status != 404:
        return
    existing = facts.get("existing") or {}
    if existing.get("status") != 403:
        return
    raise ctx.finding(
        exchange,
        "403 for an existing item, 404 for a missing one: existence leaks",
        check="existence_disclosed",
        detail=f"Identity {facts.get('identity')!r} may not call this operation. It got 403 "
        "for an item that exists and 404 for one that does not, so it can tell which ids "
        "exist. Check access before looking the item up, or answer 404 to both.",
        evidence={
            "cwe": "CWE-204: Observable Response Discrepancy",
            "owasp": "API1:2023 Broken Object Level Authorization",
            "requests": {"existing_item": existing, "missing_item": _sent(exchange)},
        },
    )


@check(family="access", phases=("auth",), severity=Severity.HIGH)
def token_grants_unheld_scopes(ctx: CheckContext, exchange: Exchange) -> None:
    """The token endpoint granted an identity scopes it does not hold.

    Fires on a token request (OAuth2 password grant) for every scope the spec declares,
    made with an identity's own credentials: the token's granted scopes (the answer's
    ``scope``, else the JWT's ``scope``/``scp`` claim) include one the identity does not
    hold per its ``scopes`` in the configuration. A user can then mint itself admin
    rights. CWE-269, OWASP API5:2023.
    """
    facts = _facts(exchange, STEP_TOKEN_SCOPES)
    if facts is None or not 200 <= exchange.status < 300:
        return
    from assay.generation.auth.grants import granted_scopes

    granted = granted_scopes(_json(exchange))
    extra = sorted(granted - set(facts.get("held", ())))
    if not extra:
        return
    raise ctx.finding(
        exchange,
        f"token grants {facts.get('identity')} scopes it does not hold: {' '.join(extra)}",
        check="token_grants_unheld_scopes",
        detail=f"Asked for {facts.get('requested')}, identity {facts.get('identity')!r} "
        f"(holding {' '.join(sorted(facts.get('held', ())))}) got {' '.join(sorted(granted))}. "
        "Grant the intersection of the requested scopes and the user's own.",
        evidence={
            "extra_scopes": extra,
            "cwe": "CWE-269: Improper Privilege Management",
            "owasp": "API5:2023 Broken Function Level Authorization",
        },
        signature=str(facts.get("identity")),
    )


def _same(sent: Any, got: Any) -> bool:
    if isinstance(sent, str) and isinstance(got, str) and sent.endswith("Z"):
        return got.startswith(sent[:-1])
    return bool(sent == got)


@check(family="access", phases=("auth",), severity=Severity.HIGH)
def mass_assignment(ctx: CheckContext, exchange: Exchange) -> None:
    """A creation kept a value for a field clients must not set (mass assignment).

    Fires when a POST that also carried fields its request schema lacks or marks
    ``readOnly`` (fields of the answer: ``role``, ``is_admin``, owner ids, balances,
    ids, timestamps…) answered 2xx showing the value sent — which the same creation
    without those fields did not show. Clients can then give themselves roles, other
    owners, money. Bind request bodies to a model of the writable fields only.
    CWE-915, OWASP API3:2023.
    """
    facts = _facts(exchange, STEP_ASSIGNMENT)
    if facts is None or not 200 <= exchange.status < 300:
        return
    body = _json(exchange)
    if not isinstance(body, Mapping):
        return
    before = facts.get("before") or {}
    stuck = sorted(
        name
        for name, sent in (facts.get("injected") or {}).items()
        if name in body and _same(sent, body[name]) and not _same(sent, before.get(name))
    )
    if not stuck:
        return
    raise ctx.finding(
        exchange,
        f"mass assignment: the client set {', '.join(stuck)}",
        check="mass_assignment",
        detail=f"The creation was sent with {', '.join(stuck)} (not writable per the spec) "
        f"and answered {exchange.status} with the values sent; without them it answered "
        "other values. Accept only the request schema's fields.",
        evidence={
            "fields": {name: body[name] for name in stuck},
            "cwe": "CWE-915: Improperly Controlled Modification of Dynamically-Determined "
            "Object Attributes",
            "owasp": "API3:2023 Broken Object Property Level Authorization",
            "requests": {"without_fields": facts.get("baseline"), "with_fields": _sent(exchange)},
        },
        signature=",".join(stuck),
    )


def _logins(ctx: CheckContext) -> dict[str, str]:
    """Configured identity → the user name it logs in with (e-mail-like names only)."""
    found: dict[str, str] = {}
    for name, identity in ctx.client.identities.items():
        login = getattr(identity, "login", None)
        username = getattr(login, "username", None)
        if "~" in name or not isinstance(username, str) or len(username) < 6:
            continue
        if "@" in username or "." in username:
            found[name] = username
    return found


def _anonymous_read(exchange: Exchange) -> bool:
    case = exchange.case
    operation = case.operation
    public = not operation.security or any(r.is_anonymous for r in operation.security)
    anonymous = case.identity in (None, ANONYMOUS)
    return public and anonymous and case.http_method == "GET" and operation.method == "get"


@check(family="access", severity=Severity.HIGH)
def public_operation_exposes_users(ctx: CheckContext, exchange: Exchange) -> None:
    """An operation the spec declares public shows users' login names to anyone.

    Fires on a GET of an operation without security (or with an anonymous alternative),
    sent without credentials and answered 2xx, whose body holds the user name (an
    e-mail or dotted name) a configured identity logs in with — a value the request did
    not send and the spec does not mention. Anonymous callers can list the service's
    users (for credential stuffing, phishing): the operation needs authentication or
    must leave the field out. CWE-200, OWASP API3:2023.
    """
    if not 200 <= exchange.status < 300 or not _anonymous_read(exchange):
        return
    logins = _logins(ctx)
    if not logins:
        return
    text = exchange.response.text.lower()
    sent = str(exchange.response.request.url).lower()
    shown = sorted(
        name for name, user in logins.items() if user.lower() in text and user.lower() not in sent
    )
    if shown:
        if _SPEC_TEXT not in ctx.memory:
            ctx.memory[_SPEC_TEXT] = json.dumps(ctx.spec.raw, default=str).lower()
        shown = [name for name in shown if logins[name].lower() not in ctx.memory[_SPEC_TEXT]]
    if not shown:
        return
    raise ctx.finding(
        exchange,
        f"a public operation shows the login names of {', '.join(shown)}",
        check="public_operation_exposes_users",
        detail="The operation needs no credentials, and its answer holds the user names "
        f"configured identities {', '.join(shown)} log in with. Require authentication, or "
        "leave the users' identifiers out of the public answer.",
        evidence={
            "identities": shown,
            "cwe": "CWE-200: Exposure of Sensitive Information to an Unauthorized Actor",
            "owasp": "API3:2023 Broken Object Property Level Authorization",
            "requests": {"anonymous": _sent(exchange)},
        },
    )
