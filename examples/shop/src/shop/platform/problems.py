"""RFC 9457 problem details: the one error shape of every shop response.

Raise a ``Problem`` (or a subclass) anywhere in a request; ``install_problem_handlers``
renders it, validation errors, HTTP errors, identity's problems and unexpected exceptions
as ``application/problem+json``. Bodies never carry stack traces, SQL, paths or the
submitted values; a 500 says only that the failure was logged under the request id.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterable, Mapping
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.responses import Response

from shop.identity import PROBLEM_MEDIA_TYPE, IdentityProblem
from shop.identity import problem_responses as identity_problem_responses
from shop.identity.problems import PROBLEM_BASE
from shop.platform.defects import register_defect
from shop.platform.routes import route_index

logger = logging.getLogger("shop.problems")

__all__ = ["PROBLEM_MEDIA_TYPE", "Problem"]


class Problem(Exception):
    """An error answered as a problem document; subclasses fix status, type and title."""

    status: int = 500
    slug: str = "internal-error"
    title: str = "Internal server error"

    def __init__(
        self,
        detail: str | None = None,
        *,
        status: int | None = None,
        slug: str | None = None,
        title: str | None = None,
        headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> None:
        self.status = status or type(self).status
        self.slug = slug or type(self).slug
        self.title = title or type(self).title
        self.detail = detail or self.title + "."
        self.headers = dict(headers or {})
        self.extra = extra
        super().__init__(self.detail)

    def body(self, instance: str) -> dict[str, Any]:
        """The problem document (``instance`` is the request path)."""
        return {
            "type": PROBLEM_BASE + self.slug,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "instance": instance,
            **self.extra,
        }

    def response(self, request: Request) -> JSONResponse:
        """The HTTP response of this problem for ``request``."""
        return JSONResponse(
            self.body(instance_of(request)),
            status_code=self.status,
            headers={"Cache-Control": "no-store", **self.headers},
            media_type=PROBLEM_MEDIA_TYPE,
        )


URI_PATH_SAFE = "/:@!$&'()*+,;=-._~"


def instance_of(request: Request) -> str:
    """The ``instance`` member: the request path as a valid URI reference (percent-encoded)."""
    return quote(request.scope["path"], safe=URI_PATH_SAFE)


class BadRequest(Problem):
    status, slug, title = 400, "bad-request", "Bad request"


class NotFound(Problem):
    status, slug, title = 404, "not-found", "Not found"

    def __init__(self, resource: str, id: str, **extra: Any) -> None:
        super().__init__(f"{resource} {id!r} does not exist.", resource=resource, id=id, **extra)


class Conflict(Problem):
    status, slug, title = 409, "conflict", "Conflict"


class PreconditionFailed(Problem):
    status, slug, title = 412, "precondition-failed", "Precondition failed"


class PreconditionRequired(Problem):
    status, slug, title = 428, "precondition-required", "Precondition required"

    def __init__(self, detail: str = "This update needs an If-Match header.", **kw: Any) -> None:
        super().__init__(detail, **kw)


class Unprocessable(Problem):
    status, slug, title = 422, "validation-error", "Request validation failed"

    def __init__(self, detail: str, errors: Iterable[Mapping[str, str]] = (), **extra: Any) -> None:
        super().__init__(detail, errors=[dict(error) for error in errors], **extra)


class NotAcceptable(Problem):
    status, slug, title = 406, "not-acceptable", "Not acceptable"


class PayloadTooLarge(Problem):
    status, slug, title = 413, "payload-too-large", "Payload too large"


class UnsupportedMediaType(Problem):
    status, slug, title = 415, "unsupported-media-type", "Unsupported media type"


class ServiceUnavailable(Problem):
    status, slug, title = 503, "service-unavailable", "Service unavailable"


def json_pointer(location: Iterable[object]) -> str:
    """RFC 6901 pointer of a validation error location (``/body/lines/0/qty``)."""
    parts = (str(part).replace("~", "~0").replace("/", "~1") for part in location)
    return "/" + "/".join(parts)


def validation_problem(exc: RequestValidationError) -> Unprocessable:
    """422 with one ``{"location", "pointer", "detail"}`` per invalid field; no input."""
    errors = []
    for error in exc.errors():
        location = tuple(error.get("loc", ("body",)))
        errors.append(
            {
                "location": str(location[0]),
                "pointer": json_pointer(location),
                "detail": str(error.get("msg", "invalid value")),
            }
        )
    return Unprocessable("One or more fields are invalid; see errors.", errors=errors)


def http_problem(exc: HTTPException) -> Problem:
    """A problem for Starlette/FastAPI's ``HTTPException`` (404 route, 405 with Allow, …)."""
    phrase = HTTPStatus(exc.status_code).phrase
    detail = exc.detail if isinstance(exc.detail, str) and exc.detail != phrase else None
    return Problem(
        detail or f"{phrase}.",
        status=exc.status_code,
        slug=phrase.lower().replace(" ", "-").replace("'", ""),
        title=phrase,
        headers=exc.headers,
    )


def _request_id(request: Request) -> str | None:
    value = request.scope.get("state", {}).get("request_id")
    return value if isinstance(value, str) else None


async def _on_identity_problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, IdentityProblem)
    return JSONResponse(
        exc.body(instance_of(request)),
        status_code=exc.status_code,
        headers={"Cache-Control": "no-store", **(exc.headers or {})},
        media_type=PROBLEM_MEDIA_TYPE,
    )


async def _on_problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Problem)
    return exc.response(request)


async def _on_validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    return validation_problem(exc).response(request)


async def _on_http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    problem = http_problem(exc)
    if exc.status_code == 405:
        index = route_index(request.scope)
        allowed = index.allowed_methods(request.url.path) if index is not None else set()
        if allowed:
            problem.headers["Allow"] = ", ".join(sorted(allowed))
    return problem.response(request)


LEAK_ERRORS = register_defect(
    "platform-500-leaks-internals",
    "Exposure: an unexpected exception answers 500 with the exception text and the stack "
    "trace (file paths, SQL) in the problem body.",
)


def _disclosure(exc: BaseException) -> dict[str, Any]:
    # DEFECT platform-500-leaks-internals: the body carries what the log should keep.
    trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return {"exception": f"{type(exc).__name__}: {exc}", "traceback": trace}


def unexpected_problem(request: Request, exc: BaseException, *, disclose: bool = False) -> Response:
    """Log ``exc`` with the request id and answer a 500 problem that discloses nothing.

    ``disclose`` is the seeded defect ``platform-500-leaks-internals``.
    """
    request_id = _request_id(request)
    logger.error(
        "unhandled %s on %s %s (request %s)",
        type(exc).__name__,
        request.method,
        request.url.path,
        request_id,
        exc_info=exc,
    )
    detail = "The server failed to handle the request; it has been logged"
    detail += f" under request id {request_id}." if request_id else "."
    extra: dict[str, Any] = {"request_id": request_id} if request_id else {}
    if disclose:
        extra.update(_disclosure(exc))
    return Problem(detail, **extra).response(request)


async def _on_unexpected(request: Request, exc: Exception) -> Response:
    return unexpected_problem(request, exc)


def install_problem_handlers(app: FastAPI) -> None:
    """Render every error of ``app`` as a problem and document the ``Problem`` schema."""
    app.add_exception_handler(Problem, _on_problem)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(IdentityProblem, _on_identity_problem)
    app.add_exception_handler(HTTPException, _on_http)
    app.add_exception_handler(Exception, _on_unexpected)
    _document_problem_schema(app)


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
        "errors": {
            "type": "array",
            "description": "Per-field errors of a 422, each with an RFC 6901 pointer.",
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
    "additionalProperties": True,
}
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def _document_problem_schema(app: FastAPI) -> None:
    build: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()
            schemas = schema.setdefault("components", {}).setdefault("schemas", {})
            schemas.setdefault("Problem", PROBLEM_SCHEMA)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


_RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}}
_HEADERS: dict[int, dict[str, Any]] = {
    405: {"Allow": {"description": "The methods allowed.", "schema": {"type": "string"}}},
    503: _RETRY_AFTER,
}
_DESCRIPTIONS: dict[int, str] = {
    400: "The request is malformed (e.g. an invalid cursor).",
    404: "The resource does not exist.",
    405: "The method is not allowed on this resource.",
    406: "No representation matches the Accept header.",
    409: "The request conflicts with the resource's state.",
    412: "If-Match does not match the current ETag.",
    413: "The request body is too large.",
    415: "The Content-Type is not supported.",
    422: "One or more fields are invalid; see errors.",
    428: "The request must be conditional (If-Match).",
    500: "The server failed; nothing internal is disclosed.",
    503: "The service or one of its dependencies is unavailable.",
}


def _entry(status: int) -> dict[str, Any]:
    phrase = HTTPStatus(status).phrase
    example = {
        "type": PROBLEM_BASE + phrase.lower().replace(" ", "-"),
        "title": phrase,
        "status": status,
        "detail": _DESCRIPTIONS.get(status, phrase + "."),
        "instance": "/v1/example",
    }
    return {
        "description": _DESCRIPTIONS.get(status, phrase),
        "headers": dict(_HEADERS.get(status, {})),
        "content": {PROBLEM_MEDIA_TYPE: {"schema": PROBLEM_REF, "example": example}},
    }


def problem_responses(*statuses: int) -> dict[int | str, Any]:
    """OpenAPI ``responses=`` entries: each status answered with a ``Problem`` document.

    401, 403 and 429 come from identity (with their ``WWW-Authenticate`` and rate-limit
    headers); combine with ``AUTH_RESPONSES`` freely.
    """
    responses: dict[int | str, Any] = {}
    for status in statuses:
        if status in (401, 403, 429):
            responses.update(identity_problem_responses(status))
        else:
            responses[status] = _entry(status)
    return responses
