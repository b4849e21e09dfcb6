"""What the injection checks share: the answer as text, its size, the proving finding.

An injection is reported only with the pair of requests that proves it: the request
with the payload and its twin (the same request with a benign or neutral value), plus
the confirmation that repeated the payload. The finding carries both curl lines, the
statuses, and a CWE and OWASP reference.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from assay.checks._requests import json_body
from assay.checks._variants import Slot, send_variant, slots
from assay.checks.registry import Exchange
from assay.errors import Finding

if TYPE_CHECKING:
    from assay.checks.registry import CheckContext

__all__ = [
    "DELAY_SHARE",
    "INJECTION_OWASP",
    "leaves",
    "proven",
    "request_text",
    "response_text",
    "slept",
]

INJECTION_OWASP = "API8:2023 Security Misconfiguration (OWASP Top 10 A03:2021 Injection)"
_LIMIT = 65536
_PROVEN = "injection.proven"
DELAY_SHARE = 0.8
"""A sleep counts when the answer took this share of the asked time longer than its twin."""


def response_text(exchange: Exchange) -> str:
    """The body as text (HTML entities decoded; a JSON body's escapes decoded too)."""
    text = exchange.response.content[:_LIMIT].decode("utf-8", "replace")
    document = json_body(exchange.response)
    if document is not None:
        text = "\n".join(_strings(document))
    return html.unescape(text) if "&" in text else text


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for key, item in value.items() for s in (str(key), *_strings(item))]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return [value if isinstance(value, str) else str(value)]


def request_text(exchange: Exchange) -> str:
    """Every value the request carried (URL, headers, body), to recognise an echo."""
    request = exchange.response.request
    parts = [str(request.url), *(f"{k}: {v}" for k, v in request.headers.items())]
    parts.append(request.content[:_LIMIT].decode("utf-8", "replace"))
    parts.extend(str(v) for v in exchange.case.query.values())
    parts.extend(str(v) for v in exchange.case.path_parameters.values())
    return "\n".join(parts)


def leaves(exchange: Exchange, echo: str) -> int:
    """How much data an answer carries: JSON scalars, or text length without the echo."""
    document = json_body(exchange.response)
    if document is not None:
        return _count(document)
    return len(exchange.response.content[:_LIMIT].decode("utf-8", "replace").replace(echo, ""))


def _count(value: Any) -> int:
    if isinstance(value, dict):
        return sum(_count(item) for item in value.values())
    if isinstance(value, list):
        return sum(_count(item) for item in value)
    return 1


def proven(
    ctx: CheckContext,
    exchange: Exchange,
    twin: Exchange,
    slot: Slot,
    *,
    check: str,
    title: str,
    detail: str,
    cwe: str,
    extra: dict[str, Any] | None = None,
) -> Finding:
    """The finding of an injection in `slot`, with the payload request and its twin."""
    ctx.memory.setdefault(_PROVEN, set()).add((check, exchange.case.label, slot.label))
    twin_value = next((s.value for s in slots(twin.case) if s.key == slot.key), None)
    return ctx.finding(
        exchange,
        f"{title} in {slot.label}",
        check=check,
        detail=detail,
        evidence={
            "cwe": cwe,
            "owasp": INJECTION_OWASP,
            "location": slot.label,
            "payload": slot.value,
            "twin": twin_value,
            "requests": [exchange.curl, twin.curl],
            "statuses": [exchange.status, twin.status],
            **(extra or {}),
        },
        signature=slot.label,
    )


def slept(
    ctx: CheckContext, exchange: Exchange, slot: Slot, seconds: int, benign: str, *, check: str
) -> Exchange | None:
    """The benign twin, when the sleep in `slot` delayed the answer against it, twice.

    The answer of `exchange` must be late by `DELAY_SHARE` of the sleep against the
    twin (`slot` set to `benign`); then the pair is sent once more and must show the
    same delay, so a slow moment of the server is not an injection. A slot `check`
    already proved is not timed again (each proof costs seconds).
    """
    threshold = seconds * 1000 * DELAY_SHARE
    if seconds < 1 or exchange.elapsed_ms < threshold:
        return None
    if (check, exchange.case.label, slot.label) in ctx.memory.get(_PROVEN, set()):
        return None
    twin = send_variant(ctx, exchange, slot, benign)
    if twin is None or exchange.elapsed_ms - twin.elapsed_ms < threshold:
        return None
    again = send_variant(ctx, exchange, slot, slot.value)
    after = send_variant(ctx, exchange, slot, benign)
    if again is None or after is None or again.elapsed_ms - after.elapsed_ms < threshold:
        return None
    return twin
