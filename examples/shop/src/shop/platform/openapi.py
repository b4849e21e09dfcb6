"""The shop's OpenAPI document: metadata, servers, tags, and the headers every answer has."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from shop.platform.versioning import DeprecationPolicy

DESCRIPTION = """The shop: inventory, allocation, payments and orders.

Errors are RFC 9457 problem documents (`application/problem+json`). Every response
carries `X-Request-ID` (send your own to correlate). Version 1 is deprecated: its
operations answer with `Deprecation`, `Sunset` and a `successor-version` link; send
`API-Version: 1|2` on an unversioned path to pick a version by header.
"""

OPERATIONS_TAG = {"name": "operations", "description": "Health, readiness and metrics."}
IDENTITY_TAGS = [
    {"name": "identity", "description": "OAuth2 tokens, revocation, logout and JWKS."},
    {"name": "console", "description": "Staff console sessions (cookie + CSRF token)."},
]

_REQUEST_ID_HEADER = {
    "description": "The request id (echoed from the request, or generated).",
    "schema": {"type": "string"},
}
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def _deprecation_headers(policy: DeprecationPolicy) -> dict[str, Any]:
    return {
        "Deprecation": {
            "description": "When v1 was deprecated (RFC 9745, `@<epoch seconds>`).",
            "schema": {"type": "string"},
            "example": f"@{int(policy.deprecated_at.timestamp())}",
        },
        "Sunset": {
            "description": "When v1 stops being served (RFC 8594, HTTP-date).",
            "schema": {"type": "string"},
        },
        "Link": {
            "description": 'The `/v2` successor, `rel="successor-version"`.',
            "schema": {"type": "string"},
        },
    }


def _decorate(
    path: str, item: dict[str, Any], paths: dict[str, Any], policy: DeprecationPolicy
) -> None:
    successor = path.startswith("/v1/") and "/v2" + path[3:] in paths
    for method in _METHODS:
        operation = item.get(method)
        if not isinstance(operation, dict):
            continue
        if successor:
            operation["deprecated"] = True
        for status, response in operation.get("responses", {}).items():
            headers = response.setdefault("headers", {})
            headers.setdefault("X-Request-ID", _REQUEST_ID_HEADER)
            if successor and str(status).startswith("2"):
                for name, header in _deprecation_headers(policy).items():
                    headers.setdefault(name, header)


def shop_openapi(
    app: FastAPI,
    *,
    version: str,
    tags: Sequence[dict[str, Any]],
    servers: Sequence[dict[str, str]],
    policy: DeprecationPolicy | None = None,
) -> dict[str, Any]:
    """The document of ``app``, cached on it (``app.openapi = lambda: shop_openapi(...)``)."""
    if app.openapi_schema is not None:
        return app.openapi_schema
    schema = get_openapi(
        title="shop",
        version=version,
        description=DESCRIPTION,
        routes=app.routes,
        tags=[*IDENTITY_TAGS, *tags, OPERATIONS_TAG],
        servers=list(servers),
        contact={"name": "The assay developers"},
        license_info={"name": "MIT", "identifier": "MIT"},
    )
    paths: dict[str, Any] = schema.get("paths", {})
    for path, item in paths.items():
        _decorate(path, item, paths, policy or DeprecationPolicy())
    app.openapi_schema = schema
    return schema
