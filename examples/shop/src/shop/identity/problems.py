"""RFC 9457 problem details: the one error shape of the identity subsystem.

``IdentityProblem`` is an ``HTTPException`` so an app's generic handler still renders it
sensibly; the app should register ``identity_problem_handler`` for it (the router's own
routes render problems themselves through ``ProblemRoute``). Bodies never carry input
values, stack traces or internal names.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from typing import Any

from fastapi import HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.responses import Response

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "https://shop.example/problems/"


class IdentityProblem(HTTPException):
    """An error answered as ``application/problem+json``."""

    def __init__(
        self,
        status: int,
        slug: str,
        title: str,
        detail: str,
        *,
        headers: Mapping[str, str] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(status_code=status, detail=detail, headers=dict(headers or {}))
        self.slug = slug
        self.title = title
        self.extra = dict(extra or {})

    def body(self, instance: str) -> dict[str, Any]:
        return {
            "type": PROBLEM_BASE + self.slug,
            "title": self.title,
            "status": self.status_code,
            "detail": self.detail,
            "instance": instance,
            **self.extra,
        }


def problem_response(request: Request, problem: IdentityProblem) -> JSONResponse:
    """The response of ``problem`` for ``request`` (``instance`` is the request path)."""
    headers = {"Cache-Control": "no-store", **(problem.headers or {})}
    return JSONResponse(
        problem.body(request.url.path),
        status_code=problem.status_code,
        headers=headers,
        media_type=PROBLEM_MEDIA_TYPE,
    )


async def identity_problem_handler(request: Request, exc: Exception) -> Response:
    """Exception handler for ``IdentityProblem``: ``app.add_exception_handler(...)``."""
    if not isinstance(exc, IdentityProblem):  # pragma: no cover - registration mistake
        raise exc
    return problem_response(request, exc)


def validation_problem(exc: RequestValidationError) -> IdentityProblem:
    """422 with one entry per invalid field; the submitted values are never echoed."""
    errors = []
    for error in exc.errors():
        location, *path = (str(part) for part in error.get("loc", ("body",)))
        errors.append(
            {"location": location, "pointer": "#/" + "/".join(path), "detail": error["msg"]}
        )
    return IdentityProblem(
        422,
        "validation-error",
        "Request validation failed",
        "One or more fields are invalid; see errors.",
        extra={"errors": errors},
    )


class ProblemRoute(APIRoute):
    """Route class rendering identity problems and validation errors as problem details."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except IdentityProblem as problem:
                return problem_response(request, problem)
            except RequestValidationError as exc:
                return problem_response(request, validation_problem(exc))

        return handle


PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Problem",
    "description": "RFC 9457 problem details.",
    "required": ["type", "title", "status", "detail", "instance"],
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "instance": {"type": "string", "format": "uri-reference"},
        "error": {"type": "string", "description": "OAuth 2.0 error code (RFC 6749 5.2)."},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["location", "pointer", "detail"],
                "properties": {
                    "location": {"type": "string"},
                    "pointer": {"type": "string"},
                    "detail": {"type": "string"},
                },
            },
        },
    },
}

_STATUS_TEXT = {
    400: ("Bad request", "invalid-request", "The request is malformed."),
    401: ("Unauthorized", "unauthorized", "Missing or invalid credentials."),
    403: ("Forbidden", "insufficient-scope", "The token lacks a required scope."),
    415: ("Unsupported media type", "unsupported-media-type", "Unsupported Content-Type."),
    422: ("Request validation failed", "validation-error", "One or more fields are invalid."),
    429: ("Too many requests", "rate-limited", "Too many attempts; retry later."),
}

RATE_LIMIT_HEADERS: dict[str, Any] = {
    "RateLimit-Limit": {
        "description": "Requests allowed in the current window.",
        "schema": {"type": "integer"},
    },
    "RateLimit-Remaining": {
        "description": "Requests left in the current window.",
        "schema": {"type": "integer"},
    },
    "RateLimit-Reset": {
        "description": "Seconds until the window frees a request.",
        "schema": {"type": "integer"},
    },
}

_EXTRA_HEADERS: dict[int, dict[str, Any]] = {
    401: {
        "WWW-Authenticate": {
            "description": "The authentication scheme and, when a token was sent, "
            'why it was refused (RFC 6750 `error="invalid_token"`).',
            "schema": {"type": "string"},
        }
    },
    403: {
        "WWW-Authenticate": {
            "description": 'RFC 6750 `error="insufficient_scope"` with the needed `scope`.',
            "schema": {"type": "string"},
        }
    },
    429: {
        "Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}},
        **RATE_LIMIT_HEADERS,
    },
}


def problem_responses(*statuses: int, rate_limited: bool = False) -> dict[int | str, Any]:
    """OpenAPI ``responses`` entries documenting problem answers for ``statuses``."""
    responses: dict[int | str, Any] = {}
    for status in statuses:
        title, slug, detail = _STATUS_TEXT[status]
        headers = dict(_EXTRA_HEADERS.get(status, {}))
        if rate_limited and status != 429:
            headers.update(RATE_LIMIT_HEADERS)
        example = {
            "type": PROBLEM_BASE + slug,
            "title": title,
            "status": status,
            "detail": detail,
            "instance": "/v1/example",
        }
        responses[status] = {
            "description": detail,
            "headers": headers,
            "content": {PROBLEM_MEDIA_TYPE: {"schema": PROBLEM_SCHEMA, "example": example}},
        }
    return responses


AUTH_RESPONSES = problem_responses(401, 403)
"""``responses=`` entries for operations protected by ``require_scopes``/``require_service``."""
