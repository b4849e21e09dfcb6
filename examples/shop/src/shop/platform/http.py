"""HTTP edge of every shop process, as pure ASGI middleware (cheap per request).

* ``RequestIdMiddleware`` — accepts a well-formed ``X-Request-ID`` or makes one, echoes it,
  exposes it to logs and outgoing service calls;
* ``SecurityHeadersMiddleware`` — nosniff, frame denial, CSP, referrer policy, HSTS and
  ``Cache-Control: no-store`` unless the endpoint chose its own caching;
* ``ObservabilityMiddleware`` — one JSON access-log line per request and Prometheus
  metrics labelled by route template (never by raw path);
* ``ErrorBoundaryMiddleware`` — an unexpected exception becomes a 500 problem *inside*
  the stack, so it still carries the request id and the security headers;
* ``install_cors`` — Starlette's CORS middleware with the configured allow-list.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shop.platform.defects import register_defect
from shop.platform.problems import unexpected_problem
from shop.platform.request_context import current_request_id
from shop.platform.routes import route_template

access_logger = logging.getLogger("shop.access")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
DOCS_PATHS = ("/docs", "/redoc")

SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"strict-transport-security", b"max-age=63072000; includeSubDomains"),
    (b"cross-origin-resource-policy", b"same-origin"),
)
API_CSP = (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None


class RequestIdMiddleware:
    """Give every request an id: the caller's ``X-Request-ID`` if well-formed, else new."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = _header(scope, b"x-request-id")
        request_id = incoming if incoming and _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        token = current_request_id.set(request_id)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0] != b"x-request-id"]
                headers.append((b"x-request-id", request_id.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            current_request_id.reset(token)


OMIT_SECURITY_HEADERS = register_defect(
    "platform-missing-security-headers",
    "Headers: responses go out without X-Content-Type-Options, X-Frame-Options, "
    "Content-Security-Policy, Referrer-Policy and Strict-Transport-Security.",
)
CORS_ANY_ORIGIN = register_defect(
    "platform-cors-any-origin",
    "CORS: any Origin is reflected in Access-Control-Allow-Origin together with "
    "Access-Control-Allow-Credentials: true, so every web site can call the API as the user.",
)


class SecurityHeadersMiddleware:
    """Add the security headers the endpoint did not set itself.

    ``omit`` is the seeded defect ``platform-missing-security-headers``.
    """

    def __init__(self, app: ASGIApp, omit: bool = False) -> None:
        self.app = app
        self.omit = omit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        docs = scope["path"].startswith(DOCS_PATHS)

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                extra = [*SECURITY_HEADERS, (b"cache-control", b"no-store")]
                if not docs:
                    extra.append(API_CSP)
                if self.omit:  # DEFECT platform-missing-security-headers
                    extra = [(b"cache-control", b"no-store")]
                headers.extend(h for h in extra if h[0] not in present)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_secured)


class ErrorBoundaryMiddleware:
    """Turn an exception escaping the app into a 500 problem (logged, never disclosed).

    ``disclose`` is the seeded defect ``platform-500-leaks-internals``.
    """

    def __init__(self, app: ASGIApp, disclose: bool = False) -> None:
        self.app = app
        self.disclose = disclose

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            if started:
                raise
            response = unexpected_problem(Request(scope), exc, disclose=self.disclose)
            await response(scope, receive, send)


class HttpMetrics:
    """Request counters and latency histograms in an app's own registry."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        self.requests = Counter(
            "shop_http_requests",
            "HTTP requests served, by method, route template and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "shop_http_request_duration_seconds",
            "Time to serve a request, by method and route template.",
            ["method", "route"],
            registry=self.registry,
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
        )

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)

    def exposition(self) -> Response:
        """The ``/metrics`` response (Prometheus text format)."""
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)


class ObservabilityMiddleware:
    """Access log (one JSON object per line on ``shop.access``) and request metrics."""

    def __init__(self, app: ASGIApp, metrics: HttpMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def observing_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, observing_send)
        finally:
            self._record(scope, status, time.perf_counter() - started)

    def _record(self, scope: Scope, status: int, seconds: float) -> None:
        route = route_template(scope)
        self.metrics.observe(scope["method"], route, status, seconds)
        access_logger.info(
            "%s %s %s",
            scope["method"],
            scope["path"],
            status,
            extra={
                "method": scope["method"],
                "path": scope["path"],
                "route": route,
                "status": status,
                "duration_ms": round(seconds * 1000, 3),
                "request_id": scope.get("state", {}).get("request_id"),
            },
        )


CORS_REQUEST_HEADERS = (
    "Authorization",
    "Content-Type",
    "If-Match",
    "If-None-Match",
    "Idempotency-Key",
    "API-Version",
    "X-Request-ID",
    "X-CSRF-Token",
)
CORS_EXPOSED_HEADERS = (
    "ETag",
    "Location",
    "X-Request-ID",
    "Retry-After",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
    "Deprecation",
    "Sunset",
    "Link",
)


def install_cors(app: FastAPI, origins: Iterable[str], any_origin: bool = False) -> None:
    """Allow cross-origin calls from exactly ``origins`` (none: no CORS headers at all).

    ``any_origin`` is the seeded defect ``platform-cors-any-origin``.
    """
    allowed = list(origins)
    if not allowed and not any_origin:
        return
    app.add_middleware(
        CORSMiddleware,
        allow_origins=allowed,
        # DEFECT platform-cors-any-origin: every origin matches and is echoed back.
        allow_origin_regex=".*" if any_origin else None,
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        allow_headers=list(CORS_REQUEST_HEADERS),
        expose_headers=list(CORS_EXPOSED_HEADERS),
        allow_credentials=True,
        max_age=600,
    )


class JsonLogFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the record's extras."""

    _STANDARD = frozenset(vars(logging.makeLogRecord({})).keys()) | {
        "message",
        "asctime",
        "color_message",
    }

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = current_request_id.get()
        if request_id:
            entry["request_id"] = request_id
        entry.update({k: v for k, v in vars(record).items() if k not in self._STANDARD})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(level: str = "INFO", json_lines: bool = True) -> None:
    """Send the root logger to stderr, as JSON lines (or plain text)."""
    handler = logging.StreamHandler()
    if json_lines:
        handler.setFormatter(JsonLogFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    logging.getLogger("sqlalchemy").setLevel(max(root.level, logging.WARNING))
