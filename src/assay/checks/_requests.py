"""The request of an exchange as it was really sent: its parts, its spec verdict, a replay.

Checks judge what went over the wire, not what the generator meant to send, so a
generator that serialized a value differently from its intent cannot cause a false
positive: the request is taken apart again and validated against the spec here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from http.cookies import CookieError, SimpleCookie
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import httpx2

if TYPE_CHECKING:
    from assay.checks.registry import CheckContext, Exchange
    from assay.client.messages import APITestResponse
    from assay.spec.model import Operation
    from assay.spec.validation import Violation

__all__ = [
    "SentRequest",
    "is_method_probe",
    "json_body",
    "media_base",
    "resend",
    "routes_to_operation",
    "sent_request",
    "sent_violations",
]

_PARAM = re.compile(r"\{([^{}/]+)\}")
# Headers that describe one transfer, not the request; a replay computes its own.
_TRANSFER_HEADERS = frozenset({"host", "content-length", "transfer-encoding", "connection"})


@dataclass(frozen=True, slots=True)
class SentRequest:
    """The parts of a request in the form `SpecValidator.validate_request` takes."""

    method: str
    path: str
    path_values: dict[str, str]
    query: dict[str, str | list[str]]
    headers: dict[str, str]
    cookies: dict[str, str]
    body: bytes
    content_type: str | None


def media_base(content_type: str | None) -> str:
    """``application/json`` from ``application/json; charset=utf-8`` (lower case)."""
    return (content_type or "").split(";", 1)[0].strip().lower()


@lru_cache(maxsize=1024)
def _template(path: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """A pattern for a path template, after an optional base path (``/api/v1``)."""
    names = tuple(_PARAM.findall(path))
    pattern = re.escape(path)
    for name in names:
        pattern = pattern.replace(re.escape("{" + name + "}"), "([^/]+)", 1)
    return re.compile("((?:/[^/]+)*?)" + pattern + "/?"), names


def _path_values(operation: Operation, raw_path: str) -> dict[str, str]:
    pattern, names = _template(operation.path)
    match = pattern.fullmatch(raw_path)
    if match is None:
        return {}
    values = match.groups()[1:]
    return {name: unquote(value) for name, value in zip(names, values, strict=True)}


def _query(url: httpx2.URL) -> dict[str, str | list[str]]:
    values: dict[str, str | list[str]] = {}
    for key in url.params:
        found = url.params.get_list(key)
        values[key] = found[0] if len(found) == 1 else list(found)
    return values


def _cookies(header: str | None) -> dict[str, str]:
    if not header:
        return {}
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header)
    except CookieError:  # an unparsable Cookie header is judged as absent
        return {}
    return {key: morsel.value for key, morsel in jar.items()}


# The last exchange taken apart, and the answer (every check of one exchange asks).
_last: tuple[object, SentRequest, list[bool]] | None = None


def sent_request(exchange: Exchange) -> SentRequest:
    """Take the request of `exchange` apart again (path values, query, headers, body)."""
    global _last  # noqa: PLW0603 - a one-entry cache; a race only costs a recomputation
    cached = _last
    if cached is not None and cached[0] is exchange:
        return cached[1]
    sent = _take_apart(exchange)
    _last = (exchange, sent, [])
    return sent


def _take_apart(exchange: Exchange) -> SentRequest:
    request = exchange.response.request
    raw_path = request.url.raw_path.decode("ascii", "replace").split("?", 1)[0]
    headers = {key.lower(): value for key, value in request.headers.items()}
    return SentRequest(
        method=request.method.upper(),
        path=unquote(raw_path),
        path_values=_path_values(exchange.case.operation, raw_path),
        query=_query(request.url),
        headers=headers,
        cookies=_cookies(headers.get("cookie")),
        body=request.content,
        content_type=headers.get("content-type"),
    )


def sent_violations(ctx: CheckContext, exchange: Exchange) -> list[Violation]:
    """How the request of `exchange`, as sent, breaks its operation's spec."""
    sent = sent_request(exchange)
    return ctx.validator.validate_request(
        exchange.case.operation,
        path=sent.path_values,
        query=sent.query,
        headers=sent.headers,
        cookies=sent.cookies,
        body=sent.body or None,
        content_type=sent.content_type,
    )


def routes_to_operation(ctx: CheckContext, exchange: Exchange) -> bool:
    """True when the path as the server sees it (decoded) belongs to the case's operation.

    A path value holding ``/`` or an empty one routes elsewhere (another operation, a
    trailing-slash redirect, a framework 404): the response then says nothing about the
    operation under test.
    """
    sent = sent_request(exchange)
    cached = _last
    if cached is not None and cached[0] is exchange and cached[2]:
        return cached[2][0]
    operation = exchange.case.operation
    match = _template(operation.path)[0].fullmatch(sent.path)
    routed = match is not None
    if match is not None:
        found = ctx.spec.find(operation.method, sent.path[len(match.group(1)) :])
        routed = found is None or found is operation
    if cached is not None and cached[0] is exchange:
        cached[2].append(routed)
    return routed


def is_method_probe(exchange: Exchange) -> bool:
    """True for a case sent with another method than its operation's (semantics phase)."""
    return exchange.case.http_method != exchange.case.operation.method.upper()


def resend(
    ctx: CheckContext,
    exchange: Exchange,
    *,
    method: str | None = None,
    content: bytes | None = None,
    url: str | None = None,
) -> APITestResponse:
    """Send the request of `exchange` again (optionally changed), unvalidated.

    The headers go as they were sent, credentials included, so the replay is the same
    request from the same identity.
    """
    request = exchange.response.request
    headers = {
        key: value for key, value in request.headers.items() if key.lower() not in _TRANSFER_HEADERS
    }
    return ctx.client.request(
        method or request.method,
        url or str(request.url),
        headers=headers,
        content=request.content if content is None else content,
        validate=False,
    )


_last_json: tuple[object, Any] | None = None


def json_body(response: APITestResponse) -> Any:
    """The response body as JSON, or None when it is not JSON (parsed once per response)."""
    global _last_json  # noqa: PLW0603 - a one-entry cache, like `sent_request`'s
    cached = _last_json
    if cached is not None and cached[0] is response:
        return cached[1]
    base = media_base(response.headers.get("content-type"))
    document: Any = None
    if base == "application/json" or base.endswith("+json"):
        try:
            document = response.json()
        except ValueError:
            document = None
    _last_json = (response, document)
    return document
