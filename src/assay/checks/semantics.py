"""HTTP semantics: methods, ``Allow``, HEAD/OPTIONS, content negotiation, safe GETs.

Most of these look at the semantics phase's probes: a case whose ``method`` overrides
its operation's (an undeclared method, HEAD, OPTIONS), or one sent with an ``Accept``
or ``Content-Type`` the operation does not document. FastAPI's own behaviour is the
reference for what is correct: 405 with an ``Allow`` naming the methods of the route
that matched (not necessarily all of the path's), HEAD refused with 405 on GET routes,
OPTIONS refused with 405 unless a CORS middleware answers it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from assay.checks._requests import (
    is_method_probe,
    json_body,
    media_base,
    resend,
    routes_to_operation,
    sent_request,
)
from assay.checks.registry import check
from assay.errors import Severity

if TYPE_CHECKING:
    from assay.checks.registry import CheckContext, Exchange

__all__ = [
    "get_not_idempotent",
    "head_mismatch",
    "not_acceptable",
    "options_allow",
    "undeclared_method",
    "unsupported_media_type_accepted",
]

_VOLATILE_KEY = re.compile(
    r"(time|date|_at$|At$|stamp|uptime|elapsed|duration|latency|now|expires|nonce|"
    r"request_?id|trace|span|correlation|etag|remaining|ttl|age$|seconds|_ms$|_total$|^total|count$|^size$|^length$)",
    re.IGNORECASE,
)
_VOLATILE_VALUE = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?|"
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[A-Za-z0-9+/_=-]{20,}",
    re.IGNORECASE,
)
_THROTTLED = frozenset({429, 503})
_RESENDS_PER_OPERATION = 3
_MONITORING = re.compile(r"/(metrics|health\w*|stats|status|live\w*|ready\w*|ping)(/|$)")


def _path_methods(ctx: CheckContext, exchange: Exchange) -> set[str]:
    path = exchange.case.operation.path
    return {op.method.upper() for op in ctx.spec.operations if op.path == path}


def _allow(exchange: Exchange) -> set[str] | None:
    header = exchange.response.headers.get("allow")
    if header is None:
        return None
    return {m.strip().upper() for m in header.split(",") if m.strip()}


def _allow_problem(allow: set[str] | None, refused: str, documented: set[str]) -> str | None:
    """What is wrong with the ``Allow`` of a 405 that refused `refused`, if anything."""
    if not allow:
        return "405 without an Allow header"
    if refused in allow:
        return f"405 whose Allow lists the refused method {refused}"
    if not allow & documented:
        return f"405 whose Allow lists none of the documented methods {sorted(documented)}"
    return None


@check(family="semantics", severity=Severity.LOW)
def undeclared_method(ctx: CheckContext, exchange: Exchange) -> None:
    """A method the spec does not declare for a path was accepted, or refused badly.

    Looks at method probes other than HEAD and OPTIONS (which have their own checks).
    Fires when the server answers 2xx (an undocumented, possibly unprotected operation),
    or answers 405 without an ``Allow`` header, with an ``Allow`` that lists the refused
    method, or with one naming none of the path's documented methods (RFC 9110 §15.5.6:
    a 405 must say what is allowed). An ``Allow`` naming only some documented methods
    is what FastAPI sends (the first matching route's) and is accepted.
    """
    method = exchange.case.http_method
    if not is_method_probe(exchange) or method in ("HEAD", "OPTIONS"):
        return
    documented = _path_methods(ctx, exchange)
    if method in documented or not routes_to_operation(ctx, exchange):
        return
    status = exchange.status
    problem: str | None = None
    if 200 <= status < 300:
        problem = f"undeclared method {method} answered {status}"
    elif status == 405:
        problem = _allow_problem(_allow(exchange), method, documented)
    if problem is None:
        return
    raise ctx.finding(
        exchange,
        problem,
        check="undeclared_method",
        detail=f"{method} {exchange.case.operation.path} is not in the spec (documented: "
        f"{', '.join(sorted(documented))}); expected 405 with an Allow header.",
        evidence={"method": method, "allow": exchange.response.headers.get("allow")},
        signature=f"{method}:{problem.split(' ', 2)[1]}",
    )


@check(family="semantics", severity=Severity.LOW)
def head_mismatch(ctx: CheckContext, exchange: Exchange) -> None:
    """HEAD on a GET operation disagrees with GET on the same request.

    Looks at HEAD probes of GET operations that the server did not refuse (405/501 are
    what FastAPI answers and are accepted). Re-sends the request as GET and fires when
    one succeeds (2xx) and the other does not, or when both succeed with different
    media types. HEAD must answer exactly as GET would, minus the body (RFC 9110
    §9.3.2); caches and link checkers rely on it.
    """
    case = exchange.case
    if case.http_method != "HEAD" or case.operation.method.upper() != "GET":
        return
    if exchange.status in (405, 501) or not routes_to_operation(ctx, exchange):
        return
    get = resend(ctx, exchange, method="GET")
    head_ok, get_ok = 200 <= exchange.status < 300, get.is_success
    head_type = media_base(exchange.response.headers.get("content-type"))
    get_type = media_base(get.headers.get("content-type"))
    if head_ok == get_ok and not (head_ok and head_type and head_type != get_type):
        return
    raise ctx.finding(
        exchange,
        f"HEAD answered {exchange.status} ({head_type or 'no type'}) but GET answered "
        f"{get.status_code} ({get_type or 'no type'})",
        check="head_mismatch",
        detail="HEAD must answer exactly as GET, without the body (RFC 9110 §9.3.2); "
        "serve HEAD from the GET handler, or make it do the same lookups.",
        evidence={"head_status": exchange.status, "get_status": get.status_code},
        signature=f"{exchange.status // 100}xx:{get.status_code // 100}xx",
    )


@check(family="semantics", severity=Severity.LOW)
def options_allow(ctx: CheckContext, exchange: Exchange) -> None:
    """OPTIONS on a path answers with an ``Allow`` that misstates the path's methods.

    Looks at OPTIONS probes of paths that do not document OPTIONS. Fires on a 405
    without ``Allow`` or with one listing OPTIONS itself, and on a 2xx whose ``Allow``
    omits a documented method. A 2xx without ``Allow`` (a CORS preflight answer) and
    FastAPI's 405 naming the first route's methods are correct.
    """
    if exchange.case.http_method != "OPTIONS" or not is_method_probe(exchange):
        return
    documented = _path_methods(ctx, exchange)
    if "OPTIONS" in documented or not routes_to_operation(ctx, exchange):
        return
    allow = _allow(exchange)
    problem: str | None = None
    if exchange.status == 405:
        problem = _allow_problem(allow, "OPTIONS", documented)
    elif 200 <= exchange.status < 300 and allow is not None:
        missing = sorted(documented - allow - {"HEAD"})
        if missing:
            problem = f"OPTIONS Allow omits documented methods {', '.join(missing)}"
    if problem is None:
        return
    raise ctx.finding(
        exchange,
        problem,
        check="options_allow",
        evidence={
            "allow": exchange.response.headers.get("allow"),
            "documented": sorted(documented),
        },
        signature=problem.split(" ", 3)[-1][:40],
    )


def _accepted_ranges(exchange: Exchange) -> list[str]:
    header = next((v for k, v in exchange.case.headers.items() if k.lower() == "accept"), "")
    return [media_base(part) for part in header.split(",") if part.strip()]


def _success_media(exchange: Exchange) -> set[str]:
    found: set[str] = set()
    for status, response in exchange.case.operation.responses.items():
        if status.startswith("2"):
            found |= {media_base(m) for m in response.content}
    return found


def _matches(media: str, ranges: list[str]) -> bool:
    major = media.split("/", 1)[0]
    return any(r in (media, "*/*", f"{major}/*") for r in ranges)


@check(family="semantics", severity=Severity.LOW, default=False)
def not_acceptable(ctx: CheckContext, exchange: Exchange) -> None:
    """A negotiating operation answered 2xx in a media type the request's Accept refuses.

    Fires only for operations that document several media types for their success
    responses (they claim to negotiate), on a request with an explicit ``Accept``, when
    the 2xx body's Content-Type matches none of its ranges; the server should pick a
    matching type or answer 406. Not a default check: RFC 9110 lets a server ignore
    ``Accept``, and FastAPI does so for JSON-only operations.
    """
    ranges = _accepted_ranges(exchange)
    documented = _success_media(exchange)
    if not ranges or len(documented) < 2 or not 200 <= exchange.status < 300:
        return
    actual = media_base(exchange.response.headers.get("content-type"))
    if not actual or _matches(actual, ranges):
        return
    raise ctx.finding(
        exchange,
        f"Accept {', '.join(ranges)} answered {exchange.status} with {actual}",
        check="not_acceptable",
        evidence={"accept": ranges, "content_type": actual, "documented": sorted(documented)},
        signature=f"{','.join(sorted(ranges))}->{actual}",
    )


def _jsonish(media: str) -> bool:
    return media == "application/json" or media.endswith("+json")


_FORMS = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


def _same_family(sent: str, documented: str) -> bool:
    """JSON variants for JSON, one form encoding for the other (FastAPI parses both)."""
    if _jsonish(sent) and _jsonish(documented):
        return True
    return sent in _FORMS and documented in _FORMS


@check(family="semantics", severity=Severity.MEDIUM)
def unsupported_media_type_accepted(ctx: CheckContext, exchange: Exchange) -> None:
    """A request body in a media type the operation does not accept was answered 2xx.

    Fires when the request's Content-Type matches none of the request body's
    documented media types (a JSON variant sent to a JSON operation, or multipart sent
    to a urlencoded form operation and back, are not counted: FastAPI parses both) and
    the server still answered 2xx; it should have refused with 415 (or 4xx). A
    JSON API that parses ``text/plain`` bodies can be called cross-site without a CORS
    preflight, which opens it to request forgery.
    """
    body = exchange.case.operation.request_body
    if body is None or not 200 <= exchange.status < 300 or is_method_probe(exchange):
        return
    sent = sent_request(exchange)
    media = media_base(sent.content_type)
    if not sent.body or not media or body.media(media) is not None:
        return
    if any(_same_family(media, media_base(m)) for m in body.content):
        return
    raise ctx.finding(
        exchange,
        f"body sent as {media} accepted with {exchange.status}",
        check="unsupported_media_type_accepted",
        detail=f"The operation accepts {', '.join(body.content)}; a {media} body should "
        "be refused with 415 Unsupported Media Type.",
        evidence={"content_type": sent.content_type, "documented": list(body.content)},
        signature=media,
    )


def _difference(first: Any, second: Any, pointer: str = "") -> str | None:
    """The pointer of the first meaningful difference between two JSON values, if any."""
    if isinstance(first, Mapping) and isinstance(second, Mapping):
        for key in sorted(set(first) | set(second), key=str):
            if _VOLATILE_KEY.search(str(key)):
                continue
            found = _difference(first.get(key), second.get(key), f"{pointer}/{key}")
            if found is not None:
                return found
        return None
    if isinstance(first, list) and isinstance(second, list):
        if len(first) != len(second):
            return None  # membership changes come from other requests, not from this GET
        for index, (a, b) in enumerate(zip(first, second, strict=True)):
            found = _difference(a, b, f"{pointer}/{index}")
            if found is not None:
                return found
        return None
    if first == second:
        return None
    both_text = isinstance(first, str) and isinstance(second, str)
    if both_text and _VOLATILE_VALUE.fullmatch(first) and _VOLATILE_VALUE.fullmatch(second):
        return None
    return pointer or "/"


def _worth_resending(ctx: CheckContext, exchange: Exchange) -> bool:
    """A positive, successful, non-monitoring GET among its operation's first three."""
    case = exchange.case
    if case.kind != "positive" or case.http_method != "GET" or case.phase == "stateful":
        return False
    if not 200 <= exchange.status < 300 or _MONITORING.search(case.operation.path):
        return False
    tried: dict[str, int] = ctx.memory.setdefault("get_not_idempotent", {})
    if tried.get(case.label, 0) >= _RESENDS_PER_OPERATION:
        return False
    tried[case.label] = tried.get(case.label, 0) + 1
    return True


@check(family="semantics", severity=Severity.MEDIUM)
def get_not_idempotent(ctx: CheckContext, exchange: Exchange) -> None:
    """Sending the same GET twice gives a different status or a different JSON body.

    Looks at positive GET cases answered 2xx (not in stateful scenarios) and re-sends
    the request once, for the first three such cases of each operation in a run. Fires
    when the status changes, or when the JSON bodies differ outside volatile fields
    (timestamps, request and trace ids, ETags, uptimes, counts, totals and rate-limit
    remainders, ISO dates, UUIDs, long tokens) and outside list lengths (other requests
    may add items). A re-send throttled with 429/503 proves nothing and is ignored.
    Monitoring paths (``/metrics``, ``/health``…) are skipped. A GET must be safe: one
    that changes what it returns (a counter bumped on read) changes state on every
    crawl, prefetch and retry.
    """
    if not _worth_resending(ctx, exchange):
        return
    again = resend(ctx, exchange)
    if again.status_code in _THROTTLED:
        return
    where = "status" if again.status_code != exchange.status else None
    first, second = json_body(exchange.response), json_body(again)
    if where is None and first is not None and second is not None:
        where = _difference(first, second)
    if where is None:
        return
    raise ctx.finding(
        exchange,
        f"GET is not idempotent: {where} changed between two identical requests",
        check="get_not_idempotent",
        detail=f"Two identical GETs answered differently ({where}). A GET must not change "
        "state: move the change (a counter, a consumed token) to a POST, or keep it out "
        "of the response.",
        evidence={
            "changed": where,
            "first": exchange.response.text[:300],
            "second": again.text[:300],
            "second_status": again.status_code,
        },
        signature=re.sub(r"/\d+(?=/|$)", "/*", where),
    )
