"""Conformance: does each response match what the spec documents for it?

One validation per exchange (`SpecValidator.validate_response`, cached for the exchange
being checked) feeds four checks, one per kind of mismatch, so a report says which
promise the API broke. Responses that say nothing about the operation under test are
not judged: method probes of the semantics phase, paths that route elsewhere (a value
holding ``/``), and 5xx answers (`server_error` reports those).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assay.checks._requests import (
    is_method_probe,
    json_body,
    media_base,
    routes_to_operation,
    sent_request,
)
from assay.checks.registry import check
from assay.errors import Severity
from assay.spec.model import unescape_pointer_token

if TYPE_CHECKING:
    from assay.checks.registry import CheckContext, Exchange
    from assay.spec.validation import Violation

__all__ = [
    "missing_response_header",
    "response_schema_violation",
    "undocumented_content_type",
    "undocumented_status_code",
]

_CACHE = "conformance.violations"
_INDEX = re.compile(r"/\d+(?=/|$)")
# Payload, URI or headers too large: limits of the server, not of the API contract.
_SIZE_LIMITS = frozenset({413, 414, 431})
_HEADER = re.compile(r"/headers/([^/]+)")
# FastAPI's own answer when a form or multipart body cannot be parsed.
_PARSE_ERROR = {"detail": "There was an error parsing the body"}


def _judged(ctx: CheckContext, exchange: Exchange) -> bool:
    if is_method_probe(exchange) or exchange.status >= 500:
        return False
    return routes_to_operation(ctx, exchange)


def _violations(ctx: CheckContext, exchange: Exchange) -> list[Violation]:
    cached = ctx.memory.get(_CACHE)
    if cached is not None and cached[0] is exchange:
        found: list[Violation] = cached[1]
        return found
    response = exchange.response
    body = b"" if exchange.case.http_method == "HEAD" else response.content
    found = ctx.validator.validate_response(
        exchange.case.operation, exchange.status, response.headers, body
    )
    ctx.memory[_CACHE] = (exchange, found)
    return found


def _of_kind(ctx: CheckContext, exchange: Exchange, *kinds: str) -> list[Violation]:
    if not _judged(ctx, exchange):
        return []
    return [v for v in _violations(ctx, exchange) if v.kind in kinds]


def _listing(violations: list[Violation]) -> str:
    lines = []
    for violation in violations:
        where = f" at {violation.data_pointer}" if violation.data_pointer else ""
        lines.append(f"  - {violation.message}{where} (spec: {violation.schema_pointer})")
    return "\n".join(lines)


def _header_name(violation: Violation) -> str:
    match = _HEADER.search(violation.schema_pointer)
    return unescape_pointer_token(match.group(1)) if match else violation.schema_pointer


def _redirect_for_slash(exchange: Exchange) -> bool:
    """A 307/308 to the same path with or without its trailing slash (Starlette does this)."""
    if exchange.status not in (307, 308):
        return False
    location = exchange.response.headers.get("location", "")
    target = location.split("?", 1)[0].rstrip("/").rsplit("://", 1)[-1]
    path = sent_request(exchange).path.rstrip("/")
    return bool(path) and target.endswith(path)


def _body_probe(exchange: Exchange) -> bool:
    """True for a request whose body is undecodable or of a media type the operation lacks."""
    if exchange.case.raw_body is not None:
        return True
    request_body = exchange.case.operation.request_body
    sent = sent_request(exchange)
    if request_body is None or not sent.body:
        return False
    media = media_base(sent.content_type)
    return not media or request_body.media(media) is None


def _explained(exchange: Exchange) -> bool:
    """Undocumented statuses that a correct server gives: auth, framework refusals."""
    status = exchange.status
    case = exchange.case
    if status in (401, 403) and case.operation.security:
        return True
    if status in _SIZE_LIMITS:
        return True
    if status in (400, 415) and _body_probe(exchange):
        return True
    if status == 406 and "accept" in {k.lower() for k in case.headers}:
        return True
    if status == 400 and json_body(exchange.response) == _PARSE_ERROR:
        return True
    return _redirect_for_slash(exchange)


@check(family="conformance", severity=Severity.MEDIUM)
def undocumented_status_code(ctx: CheckContext, exchange: Exchange) -> None:
    """The response status is not documented for the operation.

    Fires when neither the exact code, its range (``4XX``) nor ``default`` is documented.
    Clients are generated from the spec; an undocumented status is one they cannot
    handle. Not reported: 5xx (see `server_error`); 401/403 on an operation that declares
    security (FastAPI's security dependencies answer them without documenting them);
    413/414/431 (size limits of the server); 400/415 to a malformed body or an
    undeclared media type; 406 to a probe that
    sent an ``Accept``; FastAPI's "error parsing the body" 400; trailing-slash redirects.
    """
    found = _of_kind(ctx, exchange, "status-undocumented")
    if not found or _explained(exchange):
        return
    documented = ", ".join(exchange.case.operation.responses)
    raise ctx.finding(
        exchange,
        f"status {exchange.status} is not documented",
        check="undocumented_status_code",
        detail=f"{found[0].message}. Document {exchange.status} (with its body) under "
        f"{found[0].schema_pointer}, or answer with a documented status.",
        evidence={"documented": documented, "spec": found[0].schema_pointer},
        signature=str(exchange.status),
    )


@check(family="conformance", severity=Severity.MEDIUM)
def undocumented_content_type(ctx: CheckContext, exchange: Exchange) -> None:
    """A response body comes with a Content-Type the spec does not document for its status.

    Fires when the documented response lists media types and the body's Content-Type
    matches none of them (wildcards such as ``application/*`` count), or when a body
    has no Content-Type at all. Clients pick their parser from the spec; a different
    media type breaks them. Responses documented without ``content`` are not judged.
    """
    found = _of_kind(ctx, exchange, "content-type")
    if not found:
        return
    actual = exchange.response.headers.get("content-type")
    raise ctx.finding(
        exchange,
        f"Content-Type {actual or '(none)'} is not documented for status {exchange.status}",
        check="undocumented_content_type",
        detail=f"{found[0].message}. Answer in a documented media type, or document "
        f"this one under {found[0].schema_pointer}.",
        evidence={"content_type": actual, "spec": found[0].schema_pointer},
        signature=f"{exchange.status}:{media_base(actual)}",
    )


@check(family="conformance", severity=Severity.MEDIUM)
def response_schema_violation(ctx: CheckContext, exchange: Exchange) -> None:
    """A JSON response body does not match the schema documented for its status.

    Fires on a missing required property, a wrong type, a value outside its enum or
    bounds, or a body that is not JSON where JSON is documented. Clients deserialize
    into the documented types; a body that breaks them crashes or corrupts the client.
    The signature is the set of failing schema locations, so one broken field is one
    finding however many responses show it.
    """
    found = _of_kind(ctx, exchange, "body-schema", "body-not-json")
    if not found:
        return
    places = sorted({_INDEX.sub("/*", f"{v.schema_pointer}@{v.data_pointer}") for v in found})
    raise ctx.finding(
        exchange,
        f"the {exchange.status} response body does not match its schema",
        check="response_schema_violation",
        detail="The body breaks the documented schema:\n"
        + _listing(found)
        + "\nChange the response or the schema so that they agree.",
        evidence={
            "violations": [
                {"message": v.message, "schema": v.schema_pointer, "data": v.data_pointer}
                for v in found
            ],
            "body": exchange.response.text[:500],
        },
        signature=" ".join(places),
    )


@check(family="conformance", severity=Severity.LOW)
def missing_response_header(ctx: CheckContext, exchange: Exchange) -> None:
    """A response lacks a header the spec declares as required, or its value breaks its schema.

    Fires, for example, on a 429 without the ``Retry-After`` the spec promises, or a
    ``X-Total-Count`` that is not an integer. Clients rely on declared headers (back-off,
    pagination, caching); a missing one leaves them guessing.
    """
    found = _of_kind(ctx, exchange, "header-missing", "header-schema")
    if not found:
        return
    names = sorted({_header_name(v) for v in found})
    raise ctx.finding(
        exchange,
        f"the {exchange.status} response breaks its declared headers ({', '.join(names)})",
        check="missing_response_header",
        detail="The response lacks or breaks declared headers:\n"
        + _listing(found)
        + "\nSend them as documented, or declare them optional.",
        evidence={"headers": names, "spec": [v.schema_pointer for v in found]},
        signature=f"{exchange.status}:{','.join(names)}",
    )
