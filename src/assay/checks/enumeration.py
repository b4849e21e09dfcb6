"""User enumeration: login and password-reset answers must not tell who has an account.

Judged on the security phase's enumeration probe (`assay.generation.security.
enumeration`): interleaved samples with an existing user and an unknown one, both
with a wrong password, one ``series`` per endpoint (kept in the run's check memory
until its ``final`` sample). Three channels, each its own finding:

* status — every existing-user sample got one status, every unknown-user sample
  another;
* body — same statuses, but every existing-user body reads one way and every
  unknown-user body another (usernames, ids, times and numbers blanked out);
* timing — at least `MIN_TIMED` samples each, every sample of one user slower than
  every sample of the other, the medians at least `TIMING_MS` apart and 1.5 times as
  long. With five samples each, complete separation happens by chance once in 126
  runs; the size thresholds make noise on a busy machine not enough.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from assay.checks._security import API2, facts, security_finding
from assay.checks.registry import check
from assay.errors import Severity
from assay.generation.security.enumeration import normalized_body

if TYPE_CHECKING:
    from assay.checks.registry import CheckContext, Exchange

__all__ = ["MIN_TIMED", "TIMING_MS", "distinguishing_channel", "user_enumeration"]

MIN_TIMED = 4
TIMING_MS = 30.0
_RATIO = 1.5


def _samples(ctx: CheckContext, found: Mapping[str, Any], exchange: Exchange) -> list[Any]:
    """The series' samples so far, this one included (kept in the run's check memory)."""
    current = {
        "user": found["user"],
        "status": exchange.status,
        "body": normalized_body(exchange.response.text, found.get("users", [])),
        "ms": exchange.elapsed_ms,
        "curl": exchange.curl,
    }
    series: dict[str, list[Any]] = ctx.memory.setdefault("user_enumeration", {})
    samples = series.setdefault(str(found.get("series")), [])
    samples.append(current)
    return samples


def _split(samples: Sequence[Mapping[str, Any]], key: str) -> tuple[list[Any], list[Any]]:
    known = [s[key] for s in samples if s["user"] == "known"]
    unknown = [s[key] for s in samples if s["user"] == "unknown"]
    return known, unknown


def distinguishing_channel(samples: Sequence[Mapping[str, Any]]) -> tuple[str, str] | None:
    """The channel that tells the users apart, and how; None when none does."""
    known, unknown = _split(samples, "status")
    if not known or not unknown:
        return None
    if len(set(known)) == 1 and len(set(unknown)) == 1 and known[0] != unknown[0]:
        return "status", f"an existing user gets {known[0]}, an unknown one {unknown[0]}"
    bodies_known, bodies_unknown = _split(samples, "body")
    same_status = set(known) == set(unknown)
    one_each = len(set(bodies_known)) == 1 and len(set(bodies_unknown)) == 1
    if same_status and one_each and bodies_known[0] != bodies_unknown[0]:
        return "body", (
            f"an existing user gets {bodies_known[0][:120]!r}, an unknown one "
            f"{bodies_unknown[0][:120]!r}"
        )
    return _timing(*_split(samples, "ms"))


def _timing(known: list[float], unknown: list[float]) -> tuple[str, str] | None:
    if min(len(known), len(unknown)) < MIN_TIMED:
        return None
    slow, fast = (
        (known, unknown)
        if statistics.median(known) > statistics.median(unknown)
        else (unknown, known)
    )
    slow_median, fast_median = statistics.median(slow), statistics.median(fast)
    separated = min(slow) > max(fast)
    if not separated or slow_median - fast_median < TIMING_MS:
        return None
    if slow_median < _RATIO * fast_median:
        return None
    who = "an existing" if slow is known else "an unknown"
    return "timing", (
        f"{who} user's answers take {slow_median:.0f} ms (median), the other's "
        f"{fast_median:.0f} ms, and every sample of one is slower than every sample of "
        f"the other ({len(known)} + {len(unknown)} interleaved samples)"
    )


@check(family="enumeration", phases=("security",), severity=Severity.MEDIUM)
def user_enumeration(ctx: CheckContext, exchange: Exchange) -> None:
    """Fires when login or password-reset answers differ between an existing and an
    unknown user.

    By status, by body or by timing (see the module text for the statistics), the
    endpoint tells an attacker which accounts exist, so password guessing and
    phishing can aim at real users (CWE-204 / CWE-208, OWASP API2:2023). Answer both
    the same way and check a password at the same cost whether the user exists.
    """
    found = facts(exchange, "enumeration", "sample")
    if found is None:
        return
    samples = _samples(ctx, found, exchange)
    if not found.get("final"):
        return
    channel = distinguishing_channel(samples)
    if channel is None:
        return
    name, how = channel
    raise security_finding(
        ctx,
        exchange,
        f"the answers tell existing users from unknown ones ({name})",
        check="user_enumeration",
        cwe="CWE-208" if name == "timing" else "CWE-204",
        owasp=API2,
        detail=f"With the same wrong password, {how}. Answer both the same way.",
        signature=name,
        requests=[s["curl"] for s in samples[:-1]][:2],
        samples=[{k: s[k] for k in ("user", "status", "ms")} for s in samples],
    )
