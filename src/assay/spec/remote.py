"""Fetch an OpenAPI document over HTTP(S), with one clear paragraph for every failure."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import httpx2

from assay.errors import AssayError
from assay.spec.documents import parse_text, syntax_for

__all__ = ["fetch_document", "is_url"]

_DNS_MARKERS = (
    "name or service not known",
    "nodename nor servname",
    "getaddrinfo failed",
    "temporary failure in name resolution",
    "no address associated",
    "name resolution",
)


def is_url(text: str) -> bool:
    """True for ``http://`` and ``https://`` addresses."""
    return text.lower().startswith(("http://", "https://"))


def fetch_document(url: str, *, timeout: float) -> Any:
    """GET `url` and parse its body as JSON or YAML."""
    try:
        response = httpx2.get(url, timeout=timeout, follow_redirects=True)
    except httpx2.TransportError as exc:
        raise _transport_problem(url, exc, timeout) from None
    except httpx2.InvalidURL as exc:
        raise AssayError(
            f"the spec URL {url!r} is not a valid URL ({exc})",
            hint="Give a full address such as http://127.0.0.1:8000/openapi.json.",
        ) from None
    if not response.is_success:
        raise AssayError(
            f"GET {url} answered {_status_text(response.status_code)}; expected "
            "200 with the OpenAPI document",
            hint="Check the URL (FastAPI serves the document at /openapi.json unless the "
            "app sets another openapi_url), or pass the spec as a file.",
        )
    return _parse_body(url, response)


def _status_text(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def _parse_body(url: str, response: httpx2.Response) -> Any:
    content_type = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    syntax = "json" if content_type.endswith("json") else syntax_for(url)
    try:
        document = parse_text(response.text, f"the document at {url}", syntax=syntax)
    except AssayError:
        document = None
    if isinstance(document, dict):
        return document
    start = response.text.lstrip()[:40].replace("\n", " ")
    raise AssayError(
        f"GET {url} did not return an OpenAPI document: the body "
        f"({content_type or 'no content type'}, {len(response.content)} bytes, starting "
        f"{start!r}) is not a JSON or YAML object",
        hint="Point at the JSON document itself (for a FastAPI app, /openapi.json rather "
        "than /docs).",
    )


def _transport_problem(url: str, exc: httpx2.TransportError, timeout: float) -> AssayError:
    text = str(exc).lower()
    host = httpx2.URL(url).host
    if isinstance(exc, httpx2.TimeoutException):
        phase = "connect to" if isinstance(exc, httpx2.ConnectTimeout) else "get an answer from"
        return AssayError(
            f"could not {phase} {url} within {timeout:g} s (timeout) while loading the spec",
            hint="Check that the server is up and not stuck, or pass a larger timeout=.",
        )
    if isinstance(exc, httpx2.UnsupportedProtocol):
        return AssayError(
            f"the spec URL {url} does not use http:// or https://",
            hint="Give a full address such as http://127.0.0.1:8000/openapi.json.",
        )
    if any(marker in text for marker in _DNS_MARKERS):
        return AssayError(
            f"could not load the spec from {url}: the host name {host!r} could not be resolved "
            "(DNS failure)",
            hint="Check the spelling of the host, use an IP address, or pass the spec as a file.",
        )
    if isinstance(exc, httpx2.ConnectError) and "refused" in text:
        return AssayError(
            f"could not load the spec from {url}: the connection was refused (nothing is "
            "listening there)",
            hint="Start the server, check the host and port, or pass the spec as a file.",
        )
    return AssayError(
        f"could not load the spec from {url}: {type(exc).__name__}: {exc}",
        hint="Check that the server is up and the URL is right, or pass the spec as a file.",
    )
