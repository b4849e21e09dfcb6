"""Rate limits: credential endpoints and configured operations must push back on bursts.

Judged on the security phase's rate-limit probe (`assay.generation.security.limits`):
bursts of at most ``[security] burst`` requests (30) in at most 10 s, stopped at the
first 429, and one more request after a short ``Retry-After``. Bursts whose answers
were mostly refused as malformed (415, 422) are not judged: those requests may never
have reached the limiter. (A 400 is what an OAuth2 token endpoint answers a wrong
password with, so it counts as reaching the service.)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from assay.checks._security import API2, API4, facts, header, security_finding
from assay.checks.registry import check
from assay.errors import Severity
from assay.generation.security.limits import retry_after

if TYPE_CHECKING:
    from assay.checks.registry import CheckContext, Exchange

__all__ = ["missing_rate_limit", "rate_limit_never_lifts", "rate_limit_without_retry_after"]

_PROBE = "limits"
_MALFORMED = frozenset({415, 422})


def _reached_the_service(statuses: Sequence[int]) -> bool:
    return sum(s in _MALFORMED for s in statuses) * 2 < len(statuses)


def _burst_so_far(
    ctx: CheckContext, found: Mapping[str, Any], exchange: Exchange
) -> list[Exchange]:
    """The exchanges of this burst so far, this one included (kept in the check memory)."""
    bursts: dict[str, list[Exchange]] = ctx.memory.setdefault("missing_rate_limit", {})
    sent = bursts.setdefault(str(found.get("series")), [])
    sent.append(exchange)
    return sent


@check(family="limits", phases=("security",), severity=Severity.HIGH)
def missing_rate_limit(ctx: CheckContext, exchange: Exchange) -> None:
    """Fires when a burst against a credential endpoint (or a configured operation) met
    no 429.

    A login, token or password-reset endpoint that takes any number of attempts lets
    anyone guess passwords at full speed (CWE-307, OWASP API2:2023); an operation
    configured in ``[security] rate_limited`` that takes a whole burst is not limited
    (CWE-770, OWASP API4:2023).
    """
    found = facts(exchange, _PROBE, "burst")
    if found is None:
        return
    sent = _burst_so_far(ctx, found, exchange)
    if not found.get("final") or any(e.status == 429 for e in sent):
        return
    statuses = [e.status for e in sent]
    if not _reached_the_service(statuses):
        return
    credential = bool(found.get("credential"))
    what = "credential endpoint" if credential else "rate-limited operation"
    raise security_finding(
        ctx,
        exchange,
        f"no rate limit: the {what} took a burst of {len(statuses)} requests",
        check="missing_rate_limit",
        cwe="CWE-307" if credential else "CWE-770",
        owasp=API2 if credential else API4,
        severity=Severity.HIGH if credential else Severity.MEDIUM,
        detail=(
            f"{len(statuses)} requests in a row"
            + (" with an unknown user and a wrong password" if credential else "")
            + f" were all answered (statuses {sorted(set(statuses))}), none with 429. "
            "Limit attempts per client and per account, and answer 429 with Retry-After."
        ),
        signature="no limit",
        requests=[sent[0].curl] if len(sent) > 1 else [],
        statuses=statuses,
    )


def _declared_limit_headers(exchange: Exchange) -> list[str]:
    response = exchange.case.operation.responses.get("429")
    names = response.headers if response is not None else {}
    return [name for name in names if name.lower().startswith(("ratelimit", "x-ratelimit"))]


@check(family="limits", phases=("security",), severity=Severity.LOW)
def rate_limit_without_retry_after(ctx: CheckContext, exchange: Exchange) -> None:
    """Fires when a 429 from a burst has no usable ``Retry-After``, or lacks a
    ``RateLimit-*`` header its operation declares for 429.

    Clients cannot tell when to try again and retry at once, making the overload worse
    (RFC 6585 §4; CWE-770, OWASP API4:2023).
    """
    if facts(exchange, _PROBE, "burst") is None or exchange.status != 429:
        return
    value = header(exchange.response, "Retry-After")
    missing = [] if retry_after(value) is not None else ["Retry-After"]
    missing += [
        n for n in _declared_limit_headers(exchange) if not exchange.response.headers.get(n)
    ]
    if not missing:
        return
    raise security_finding(
        ctx,
        exchange,
        f"the 429 answer has no {missing[0]}",
        check="rate_limit_without_retry_after",
        cwe="CWE-770",
        owasp=API4,
        detail=(
            f"The burst was refused with 429, without {', '.join(missing)}"
            + (f" (Retry-After was {value!r})" if value else "")
            + ". Say when the client may try again: Retry-After in seconds."
        ),
        signature=",".join(missing),
        missing=missing,
    )


@check(family="limits", phases=("security",), severity=Severity.MEDIUM)
def rate_limit_never_lifts(ctx: CheckContext, exchange: Exchange) -> None:
    """Fires when the limit has not lifted once the ``Retry-After`` it announced passed.

    Judged when the announced wait is at most 10 s: the probe waits it out (plus half
    a second) and sends the request again. A limit that outlives its announcement locks
    clients out for longer than promised (CWE-400, OWASP API4:2023).
    """
    found = facts(exchange, _PROBE, "after_wait")
    if found is None or exchange.status != 429:
        return
    raise security_finding(
        ctx,
        exchange,
        "the rate limit does not lift after the announced Retry-After",
        check="rate_limit_never_lifts",
        cwe="CWE-400",
        owasp=API4,
        detail=(
            f"The 429 asked to retry after {found.get('retry_after')} s; after waiting that "
            "long the same request was refused with 429 again. Announce the real wait."
        ),
        signature="never lifts",
        requests=[found["limited"]] if found.get("limited") else [],
    )
