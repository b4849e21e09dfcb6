"""Consistency: does the API answer alike across operations?

`inconsistent_error_format` remembers, per run (in ``ctx.memory``), the format family of
every 4xx body it sees and which operations use it, so it can tell the odd one out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from assay.checks._requests import is_method_probe, json_body, media_base, routes_to_operation
from assay.checks.registry import check
from assay.errors import Severity

if TYPE_CHECKING:
    from assay.checks.registry import CheckContext, Exchange

__all__ = ["error_format", "inconsistent_error_format"]

_MEMORY = "inconsistent_error_format"
_PAGES = frozenset({"text/html", "application/xhtml+xml"})


def error_format(exchange: Exchange) -> str | None:
    """The format family of an error body, or None for an empty one.

    ``problem`` (RFC 9457: ``application/problem+json`` or ``type``/``title``/``status``
    members), ``detail`` (FastAPI: its 422 list and ``HTTPException``'s string are one
    family), ``error`` (``{"error": …}``), ``errors`` (JSON:API), ``message``, ``text``
    (not JSON), or ``keys:a,b`` for another JSON object. HTML pages (for browsers, not
    API clients) and empty bodies have no format.
    """
    response = exchange.response
    media = media_base(response.headers.get("content-type"))
    if not response.content.strip() or media in _PAGES:
        return None
    body = json_body(response)
    if media == "application/problem+json":
        return "problem"
    if not isinstance(body, Mapping):
        return "text" if body is None else f"json:{type(body).__name__}"
    keys = set(body)
    if {"title", "status"} <= keys or {"type", "title"} <= keys:
        return "problem"
    for family in ("detail", "error", "errors", "message"):
        if family in keys:
            return family
    return "keys:" + ",".join(sorted(str(k) for k in keys))


def _memory(ctx: CheckContext) -> dict[str, Any]:
    state: dict[str, Any] = ctx.memory.setdefault(_MEMORY, {"families": {}, "reported": set()})
    return state


def _outlier(families: Mapping[str, Mapping[str, Exchange]]) -> tuple[str, str] | None:
    """(odd family, usual family) when one family is used by strictly more operations."""
    ranked = sorted(families.items(), key=lambda item: -len(item[1]))
    if len(ranked) < 2 or len(ranked[0][1]) <= len(ranked[-1][1]):
        return None
    return ranked[-1][0], ranked[0][0]


@check(family="consistency", severity=Severity.LOW)
def inconsistent_error_format(ctx: CheckContext, exchange: Exchange) -> None:
    """The API's 4xx error bodies come in different formats on different operations.

    Every non-empty 4xx body (of a request that reached its operation, not a method
    probe) is sorted into a family (see `error_format`): problem+json, FastAPI's
    ``detail`` (its validation 422 and ``HTTPException`` bodies are one family),
    ``{"error": …}``, ``{"errors": […]}``, ``{"message": …}``, plain text. It fires
    once one family is used by strictly more operations than another: the finding is
    raised on an operation of the rarer family, once per operation and family. Clients
    need one error parser; an API that mixes formats breaks them on the odd ones.
    An API whose only two error-producing operations disagree is not reported (which
    one is odd cannot be told).
    """
    if not 400 <= exchange.status < 500 or is_method_probe(exchange):
        return
    family = error_format(exchange)
    if family is None or not routes_to_operation(ctx, exchange):
        return
    state = _memory(ctx)
    families: dict[str, dict[str, Exchange]] = state["families"]
    families.setdefault(family, {}).setdefault(exchange.case.label, exchange)
    verdict = _outlier(families)
    if verdict is None:
        return
    odd, usual = verdict
    for label, sample in sorted(families[odd].items()):
        if (label, odd) in state["reported"]:
            continue
        state["reported"].add((label, odd))
        examples = sorted(families[usual])[:3]
        raise ctx.finding(
            sample,
            f"error body format {odd!r} differs from the API's usual {usual!r}",
            check="inconsistent_error_format",
            detail=f"{label} answered {sample.status} with a {odd!r} body; most operations "
            f"({', '.join(examples)}) use {usual!r}. Use one error format across the API.",
            evidence={"format": odd, "usual": usual, "body": sample.response.text[:300]},
            signature=f"{odd}<>{usual}",
        )
