"""User-enumeration probe: do login and password-reset answers tell who has an account?

For each credential endpoint (`targets.credential_targets`), interleaved samples with
an existing user (a configured identity's username, a different one per endpoint) and
an unknown one, both with the same wrong password: at most `SAMPLES` each, fewer when
the service reports that its limit is close (``RateLimit-Remaining`` of 2 or less), so
the existing user is never locked out. The samples of one comparison share a
``series``; the last one is marked ``final``, and `assay.checks.enumeration` compares
the series' status, body and timing then.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from typing import Any

from assay.generation.security.probe import Probe, Sent
from assay.generation.security.targets import CredentialTarget, credential_targets
from assay.generation.steps import ScenarioContext

__all__ = ["SAMPLES", "normalized_body", "run"]

SAMPLES = 5
_BODY_LIMIT = 400
_VOLATILE = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|"
    r"\d{4}-\d{2}-\d{2}[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?|"
    r"[A-Za-z0-9_\-+/=.]{20,}|\d+",
    re.IGNORECASE,
)


def normalized_body(text: str, users: Iterable[str]) -> str:
    """A body with the usernames and volatile values (ids, times, numbers) blanked out."""
    for user in sorted(users, key=len, reverse=True):
        if user:
            text = re.sub(re.escape(user), "<user>", text, flags=re.IGNORECASE)
    return _VOLATILE.sub("#", text)[:_BODY_LIMIT]


def _remaining(exchange: Sent) -> int | None:
    value = exchange.response.headers.get("ratelimit-remaining", "").strip()
    return int(value) if value.isdigit() else None


def _known_users(probe: Probe, targets: list[CredentialTarget]) -> dict[str, str]:
    """An existing user per target (operation label).

    Services often count failed logins per account across all their login endpoints,
    so each endpoint that takes a password gets an account of its own, keeping every
    identity far from a lockout; endpoints without a password (a reset) share them.
    """
    users = [i.login.username for i in probe.identities if i.login is not None]
    free = list(users)
    chosen: dict[str, str] = {}
    for target in sorted(targets, key=lambda t: t.login is None):
        if target.password_field is None and users:
            chosen[target.operation.label] = users[0]
            continue
        own = target.login.username if target.login is not None else None
        user = own if own in free else (free[0] if free else None)
        if user is not None:
            chosen[target.operation.label] = user
            free.remove(user)
    return chosen


def _body(probe: Probe, target: CredentialTarget, user: str, password: str) -> Any:
    fields = target.fields(user, password)
    if target.login is not None:
        media = "application/x-www-form-urlencoded" if target.login.form else "application/json"
        return fields, media
    generated = probe.body(target.operation)
    if generated is None or not isinstance(generated[0], dict):
        return None
    return {**generated[0], **fields}, generated[1]


def _compare(probe: Probe, target: CredentialTarget, known: str) -> None:
    unknown = f"assay-nobody-{secrets.token_hex(6)}@example.invalid"
    users = {"known": known, "unknown": unknown}
    series = f"{target.operation.label}:{unknown}"
    remaining: list[int | None] = []
    for round_ in range(SAMPLES):
        order = ("known", "unknown") if round_ % 2 == 0 else ("unknown", "known")
        last = round_ == SAMPLES - 1 or _close_to_limit(remaining[-2:])
        for position, who in enumerate(order):
            body = _body(probe, target, users[who], f"wrong-{secrets.token_hex(6)}")
            if body is None:
                return
            facts = {"series": series, "user": who, "users": list(users.values())}
            case = probe.case(
                target.operation,
                "sample",
                facts={**facts, "final": last and position == 1},
                identity=probe.anonymous,
                body=body[0],
                media_type=body[1],
            )
            sent = probe.send(case)
            if sent is None or sent.status == 429:
                return
            remaining.append(_remaining(sent))
        if last:
            return


def _close_to_limit(remaining: list[int | None]) -> bool:
    known = [value for value in remaining if value is not None]
    return bool(known) and min(known) <= 2


def run(ctx: ScenarioContext) -> None:
    """Compare an existing and an unknown user on every credential endpoint."""
    probe = Probe(ctx, "enumeration")
    targets = credential_targets(ctx.spec, ctx.operations, probe.identities)
    known = _known_users(probe, targets)
    for target in targets:
        user = known.get(target.operation.label)
        if user is not None and not probe.expired:
            _compare(probe, target, user)
