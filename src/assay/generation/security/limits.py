"""Rate-limit probe: bounded bursts against credential endpoints and configured operations.

Credential endpoints are the identities' token and login URLs and operations named like
a login, a token or a password reset (`targets.credential_targets`); their bursts use
an unknown user and a wrong password, so no identity of the run is ever locked out
(the identities logged in before the run, and hold their tokens and sessions).
Operations named in ``[security] rate_limited`` get a burst of valid requests.

A burst sends at most ``[security] burst`` requests (30) within `BURST_SECONDS` and
stops at the first 429. When that 429 announces a ``Retry-After`` of at most
`MAX_LIFT_WAIT` seconds, the probe waits it out and sends once more: the limit must
have lifted. `assay.checks.limits` judges the answers.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping
from email.utils import parsedate_to_datetime
from typing import Any

from assay.generation.security.probe import Probe, Sent
from assay.generation.security.targets import CredentialTarget, by_name, credential_targets
from assay.generation.steps import ScenarioContext
from assay.spec.model import Operation

__all__ = ["BURST_SECONDS", "MAX_LIFT_WAIT", "retry_after", "run"]

BURST_SECONDS = 10.0
MAX_LIFT_WAIT = 10.0
_FORM = "application/x-www-form-urlencoded"


def retry_after(value: str | None) -> float | None:
    """Seconds a ``Retry-After`` asks for (delta seconds or an HTTP date), None if unusable."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


def _credential_body(
    probe: Probe, target: CredentialTarget, user: str
) -> tuple[Any, str | None] | None:
    fields = target.fields(user, f"wrong-{secrets.token_hex(6)}")
    if target.login is not None:
        return fields, _FORM if target.login.form else "application/json"
    generated = probe.body(target.operation)
    if generated is None or not isinstance(generated[0], Mapping) or generated[1] is None:
        return None
    return {**generated[0], **fields}, generated[1]


def _burst(
    probe: Probe, operation: Operation, body: tuple[Any, str | None], *, credential: bool
) -> None:
    size = probe.config.burst
    deadline = time.monotonic() + BURST_SECONDS
    series = f"{operation.label}:{secrets.token_hex(4)}"
    identity = probe.anonymous if credential else None
    for index in range(size):
        final = index == size - 1 or time.monotonic() >= deadline
        facts = {"series": series, "credential": credential, "index": index, "final": final}
        case = probe.case(
            operation,
            "burst",
            facts=facts,
            identity=identity,
            body=body[0],
            media_type=body[1],
        )
        sent = probe.send(case)
        if sent is None:
            return
        if sent.status == 429:
            _lift(probe, case, sent)
            return
        if final:
            return


def _lift(probe: Probe, case: Any, limited: Sent) -> None:
    wait = retry_after(limited.response.headers.get("retry-after"))
    if wait is None or wait > MAX_LIFT_WAIT or probe.expired:
        return
    time.sleep(wait + 0.5)
    again = probe.case(
        case.operation,
        "after_wait",
        facts={"retry_after": wait, "limited": limited.curl},
        identity=case.identity,
        body=case.body,
        media_type=case.media_type,
    )
    probe.send(again)


def run(ctx: ScenarioContext) -> None:
    """Burst every credential endpoint, then every configured operation."""
    probe = Probe(ctx, "limits")
    user = f"assay-unknown-{secrets.token_hex(6)}@example.invalid"
    targets = credential_targets(ctx.spec, ctx.operations, probe.identities)
    for target in targets:
        body = _credential_body(probe, target, user)
        if body is not None and not probe.expired:
            _burst(probe, target.operation, body, credential=True)
    done = {t.operation.label for t in targets}
    for operation in by_name(ctx.operations, probe.config.rate_limited):
        body = probe.body(operation)
        if operation.label not in done and body is not None and not probe.expired:
            _burst(probe, operation, body, credential=False)
