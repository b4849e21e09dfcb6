"""Robustness: does the server survive any input, refuse bad input and accept good input?

Verdicts on input are taken from the request as it was sent, re-validated against the
spec here (`assay.checks._requests`), never from the generator's label alone: a case
marked negative whose request the spec accepts cannot make `invalid_input_accepted`
fire, and one marked positive whose request breaks the spec cannot make
`valid_input_rejected` fire.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from assay.checks._leniency import lenient
from assay.checks._requests import (
    is_method_probe,
    json_body,
    routes_to_operation,
    sent_request,
    sent_violations,
)
from assay.checks.registry import check
from assay.errors import Severity

if TYPE_CHECKING:
    from assay.checks.registry import CheckContext, Exchange
    from assay.spec.model import Parameter
    from assay.spec.validation import Violation

__all__ = [
    "invalid_input_accepted",
    "missing_required_header_accepted",
    "server_error",
    "valid_input_rejected",
]

# OpenAPI: header parameters with these names are ignored (they are set by other means).
_IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})
# Statuses with which a server may refuse a well-formed request because of state or policy.
_AVAILABILITY = frozenset({502, 503, 504})


@check(family="robustness", severity=Severity.HIGH)
def server_error(ctx: CheckContext, exchange: Exchange) -> None:
    """The server answered with a 5xx status.

    Fires on every 500 and on any other 5xx, with three exceptions that are correct
    behaviour: 501 to a method probe (a method the server does not implement), a
    502/503/504 the operation documents with that exact code (a readiness endpoint that
    says "not ready"), and a 502/503/504 in the resilience phase, where a dependency
    was made to fail on purpose. A 5xx means the server failed on a request it should have
    answered or refused with a 4xx: an unhandled exception, a crash, a broken dependency.
    """
    status = exchange.status
    if status < 500:
        return
    operation = exchange.case.operation
    if status == 501 and is_method_probe(exchange):
        return
    if status in _AVAILABILITY and (
        str(status) in operation.responses or exchange.case.phase == "resilience"
    ):
        return
    raise ctx.finding(
        exchange,
        f"server error {status}",
        check="server_error",
        detail=f"{exchange.case.http_method} answered {status}: the server failed instead "
        "of answering or refusing the request with a 4xx. Find the exception logged for "
        "this request and handle it (refuse bad input with a 4xx).",
        evidence={"body": exchange.response.text[:500]},
        signature=str(status),
    )


def _owned_elsewhere(violation: Violation) -> bool:
    """Missing headers and media types have checks of their own."""
    if violation.kind == "request-content-type":
        return True
    return violation.kind == "parameter-missing" and "header parameter" in violation.message


@check(family="robustness", severity=Severity.HIGH)
def invalid_input_accepted(ctx: CheckContext, exchange: Exchange) -> None:
    """A request that breaks the spec was answered with a 2xx.

    Fires on a negative case (a value out of bounds, a wrong type, a missing required
    field, an enum non-member…) when the request as sent really breaks the operation's
    spec and the server still answered 2xx. Input validation that the spec promises but
    the server does not do lets bad data in (a negative quantity, an overlong name).
    Not reported: values pydantic's lax mode converts on purpose into valid ones (``"5"``,
    ``5.0`` or ``" +5"`` for an integer, ``"yes"`` for a boolean, ``"nan"`` for a number,
    a date for a date-time; see `assay.checks._leniency`), missing required
    headers (`missing_required_header_accepted`) and undeclared media types
    (`unsupported_media_type_accepted`).
    """
    if exchange.case.kind != "negative" or not 200 <= exchange.status < 300:
        return
    if is_method_probe(exchange) or not routes_to_operation(ctx, exchange):
        return
    found = [
        v
        for v in sent_violations(ctx, exchange)
        if not _owned_elsewhere(v) and not lenient(ctx, exchange, v)
    ]
    if not found:
        return
    first = found[0]
    where = f" at {first.data_pointer}" if first.data_pointer else ""
    raise ctx.finding(
        exchange,
        f"invalid input accepted with {exchange.status}",
        check="invalid_input_accepted",
        detail=f"The request breaks the spec ({first.message}{where}) but the server "
        f"answered {exchange.status} instead of refusing it with a 4xx.",
        evidence={
            "mutation": exchange.case.mutation,
            "violation": first.message,
            "spec": first.schema_pointer,
        },
        signature=f"{first.kind}:{first.schema_pointer}",
    )


def _required_headers(exchange: Exchange) -> list[Parameter]:
    return [
        p
        for p in exchange.case.operation.parameters_in("header")
        if p.required and p.name.lower() not in _IGNORED_HEADERS
    ]


@check(family="robustness", severity=Severity.MEDIUM)
def missing_required_header_accepted(ctx: CheckContext, exchange: Exchange) -> None:
    """A request without a header parameter the spec marks required was answered 2xx.

    Fires whatever the case's kind, from the headers really sent: a required
    ``X-Request-Id``, ``Idempotency-Key`` or ``X-Tenant`` that the server does not
    enforce means the guarantee it stands for (idempotency, tenancy, tracing) is not
    given. ``Accept``, ``Content-Type`` and ``Authorization`` are ignored, as OpenAPI
    says they are when declared as parameters.
    """
    if not 200 <= exchange.status < 300 or is_method_probe(exchange):
        return
    sent = sent_request(exchange).headers
    missing = [p.name for p in _required_headers(exchange) if p.name.lower() not in sent]
    if not missing:
        return
    raise ctx.finding(
        exchange,
        f"required header {missing[0]} missing, yet answered {exchange.status}",
        check="missing_required_header_accepted",
        detail=f"The spec requires the header(s) {', '.join(missing)}; the request had "
        f"none and the server answered {exchange.status} instead of a 4xx.",
        evidence={"missing": missing},
        signature=",".join(sorted(n.lower() for n in missing)),
    )


def _validation_errors(exchange: Exchange) -> list[Mapping[str, Any]]:
    """The per-field errors of a structured validation answer (FastAPI, problem+json)."""
    body = json_body(exchange.response)
    if not isinstance(body, Mapping):
        return []
    for key in ("detail", "errors", "invalid_params", "invalid-params"):
        items = body.get(key)
        if isinstance(items, list) and items and all(isinstance(i, Mapping) for i in items):
            return [i for i in items if isinstance(i.get("loc"), list)]
    return []


_UNSTABLE_KEYWORDS = ("format", "pattern", "multipleOf", "contentEncoding")


def _field_schema(ctx: CheckContext, exchange: Exchange, loc: list[Any]) -> Any:
    """The spec's schema for a FastAPI error location (``["body", "items", 0, "qty"]``)."""
    operation = exchange.case.operation
    if len(loc) < 2:
        return None
    if loc[0] in ("query", "path", "header", "cookie"):
        param = operation.parameter(str(loc[1]), loc[0])
        return ctx.spec.resolve(param.schema) if param and param.schema else None
    body = operation.request_body
    if loc[0] != "body" or body is None or len(body.content) != 1:
        return None
    schema: Any = next(iter(body.content.values())).schema
    for step in loc[1:]:
        schema = ctx.spec.resolve(schema)
        if not isinstance(schema, Mapping):
            return None
        key = "items" if isinstance(step, int) else "properties"
        schema = schema.get(key) if isinstance(step, int) else schema.get(key, {}).get(step)
    return ctx.spec.resolve(schema)


def _stable(schema: Any) -> bool:
    """True for a schema whose validity every validator agrees on (no format, no regex)."""
    if not isinstance(schema, Mapping) or not schema:
        return False
    text = repr(schema)
    return not any(f"'{keyword}'" in text for keyword in _UNSTABLE_KEYWORDS)


@check(family="robustness", severity=Severity.MEDIUM)
def valid_input_rejected(ctx: CheckContext, exchange: Exchange) -> None:
    """A request the spec accepts was refused with a field-level validation error.

    Fires on a positive case, whose request as sent conforms to the spec, answered
    400/422 with a structured validation error (FastAPI's ``detail`` list, or an
    ``errors`` list) naming a field whose schema has no ``format``, ``pattern`` or
    ``multipleOf`` (where validators legitimately differ). The server validates with
    stricter rules than it publishes, so clients built from the spec fail. Deliberately
    conservative: a plain business refusal (``{"detail": "out of stock"}``) is not
    reported, because server state can explain it; nor are steps of stateful scenarios.
    """
    case = exchange.case
    if case.kind != "positive" or exchange.status not in (400, 422):
        return
    if case.phase in ("semantics", "stateful"):
        return
    if is_method_probe(exchange) or not routes_to_operation(ctx, exchange):
        return
    errors = _validation_errors(exchange)
    rejected = [e for e in errors if _stable(_field_schema(ctx, exchange, list(e["loc"])))]
    if not rejected or sent_violations(ctx, exchange):
        return
    loc = ".".join(str(part) for part in rejected[0]["loc"])
    raise ctx.finding(
        exchange,
        f"valid input rejected with {exchange.status} at {loc}",
        check="valid_input_rejected",
        detail=f"The request conforms to the spec, but the server refused {loc}: "
        f"{rejected[0].get('msg', '')!s}. The server's validation is stricter than the spec.",
        evidence={"location": loc, "error": dict(rejected[0])},
        signature=re.sub(r"\.\d+(?=\.|$)", ".*", loc),
    )
