"""API versions: ``/v1`` and ``/v2`` side by side, selectable by path or header.

* ``/v1/...`` and ``/v2/...`` are served as they are;
* an unversioned path with ``API-Version: 1`` or ``2`` is routed to that version
  (``GET /products`` + ``API-Version: 2`` → ``GET /v2/products``), with ``Vary: API-Version``;
* an unknown ``API-Version`` is a 400 problem listing the supported versions;
* a ``/v1`` response whose operation has a ``/v2`` successor carries ``Deprecation``
  (RFC 9745), ``Sunset`` (RFC 8594) and ``Link: <...>; rel="successor-version"``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import quote

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shop.platform.problems import URI_PATH_SAFE, BadRequest, Problem
from shop.platform.routes import route_index

VERSION_HEADER = "API-Version"
SUPPORTED_VERSIONS: tuple[str, ...] = ("1", "2")
UNVERSIONED_PREFIXES = (
    "/healthz",
    "/readyz",
    "/metrics",
    "/docs",
    "/redoc",
    "/openapi.json",
    "/.well-known",
)


@dataclass(frozen=True)
class DeprecationPolicy:
    """When v1 was deprecated and when it goes away."""

    deprecated_at: datetime = datetime(2026, 1, 1, tzinfo=UTC)
    sunset_at: datetime = datetime(2027, 6, 30, 23, 59, 59, tzinfo=UTC)

    def headers(self, successor: str) -> list[tuple[bytes, bytes]]:
        return [
            (b"deprecation", f"@{int(self.deprecated_at.timestamp())}".encode()),
            (b"sunset", format_datetime(self.sunset_at, usegmt=True).encode()),
            (b"link", f'<{successor}>; rel="successor-version"'.encode("latin-1")),
        ]


def version_of(scope: Scope) -> str | None:
    """The version a request addresses by path (``/v2/...`` → ``"2"``), else None."""
    path: str = scope["path"]
    parts = path.split("/", 2)
    if len(parts) > 1 and parts[1][:1] == "v" and parts[1][1:].isdigit():
        return parts[1][1:]
    return None


def _unsupported(value: str) -> BadRequest:
    supported = ", ".join(SUPPORTED_VERSIONS)
    return BadRequest(
        f"API version {value[:20]!r} is not supported; supported versions: {supported}.",
        slug="unsupported-api-version",
        title="Unsupported API version",
        supported_versions=list(SUPPORTED_VERSIONS),
    )


def _unknown_path_version(value: str) -> Problem:
    """A 404 for ``/v9/...``: the URL does not exist, and the answer says which do."""
    supported = ", ".join(f"/v{version}" for version in SUPPORTED_VERSIONS)
    return Problem(
        f"API version v{value[:20]} does not exist; use one of {supported}.",
        status=404,
        slug="unknown-api-version",
        title="Unknown API version",
        supported_versions=[f"v{version}" for version in SUPPORTED_VERSIONS],
    )


class VersioningMiddleware:
    """Route by ``API-Version`` and mark deprecated v1 responses (pure ASGI)."""

    def __init__(self, app: ASGIApp, policy: DeprecationPolicy | None = None) -> None:
        self.app = app
        self.policy = policy or DeprecationPolicy()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(UNVERSIONED_PREFIXES):
            await self.app(scope, receive, send)
            return
        requested = _requested_version(scope)
        if requested is not None and requested not in SUPPORTED_VERSIONS:
            await _unsupported(requested).response(Request(scope))(scope, receive, send)
            return
        in_path = version_of(scope)
        if in_path is not None and in_path not in SUPPORTED_VERSIONS:
            await _unknown_path_version(in_path).response(Request(scope))(scope, receive, send)
            return
        routed = requested is not None and version_of(scope) is None
        if routed:
            scope = _rerouted(scope, f"/v{requested}")
        await self.app(scope, receive, self._sender(scope, send, routed))

    def _sender(self, scope: Scope, send: Send, routed: bool) -> Send:
        async def versioned_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if routed:
                    headers.append((b"vary", VERSION_HEADER.encode()))
                headers.extend(self._deprecation(scope))
                message["headers"] = headers
            await send(message)

        return versioned_send

    def _deprecation(self, scope: Scope) -> list[tuple[bytes, bytes]]:
        if version_of(scope) != "1":
            return []
        index = route_index(scope) if "endpoint" in scope else None
        if index is None or "/v2" + index.template(scope)[3:] not in index.paths:
            return []
        path = quote(scope["path"], safe=URI_PATH_SAFE)  # a header value: no raw bytes
        return self.policy.headers("/v2" + path[3:])


def _requested_version(scope: Scope) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == b"api-version":
            text: str = value.decode("latin-1").strip()
            return text.removeprefix("v").removeprefix("V")
    return None


def _rerouted(scope: Scope, prefix: str) -> Scope:
    """``scope`` addressed to ``prefix`` + path (in place: outer middleware sees the route)."""
    scope["path"] = prefix + scope["path"]
    raw = scope.get("raw_path")
    if isinstance(raw, bytes):
        scope["raw_path"] = prefix.encode() + raw
    return scope
