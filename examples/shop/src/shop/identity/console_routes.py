"""Staff console sign-in: ``/v1/console/login``, ``/v1/console/logout``, ``/v1/console/me``.

The session cookie is ``__Host-shop-console``: HttpOnly, Secure, SameSite=Strict, Path=/
and no Domain (the ``__Host-`` prefix makes browsers enforce the last three). Only staff
and admins may sign in; every other outcome of a bad sign-in is the same 401.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field, ValidationError

from shop.identity.principal import Principal
from shop.identity.problems import RATE_LIMIT_HEADERS, IdentityProblem, problem_responses
from shop.identity.runtime import IdentityRuntime, runtime_of
from shop.identity.scopes import CONSOLE_ROLES, format_scope, scopes_for_roles
from shop.identity.security import (
    CONSOLE_COOKIE,
    ConsoleContext,
    console_context,
    unauthorized,
)

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class ConsoleLogin(BaseModel):
    email: str = Field(min_length=3, max_length=320, examples=["staff@shop.example"])
    password: str = Field(min_length=1, max_length=1024, examples=["correct horse battery"])


class ConsoleSession(BaseModel):
    subject: str
    email: str
    roles: list[str]
    scope: str
    csrf_token: str = Field(description="Send as `X-CSRF-Token` on unsafe console requests.")
    expires_at: datetime = Field(description="Absolute expiry of the session.")
    idle_timeout: int = Field(description="Seconds of inactivity after which it expires.")


async def _login_body(request: Request) -> ConsoleLogin:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    data: Any
    if media_type == "application/json" or media_type.endswith("+json"):
        try:
            data = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError) as exc:
            raise IdentityProblem(400, "invalid-request", "Bad request", "Invalid JSON.") from exc
    elif media_type in _FORM_TYPES:
        data = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    else:
        raise IdentityProblem(
            415,
            "unsupported-media-type",
            "Unsupported media type",
            "Send application/json or application/x-www-form-urlencoded.",
        )
    try:
        return ConsoleLogin.model_validate(data)
    except ValidationError as exc:
        errors = [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_input=False)]
        raise RequestValidationError(errors) from exc


_LOGIN_BODY = {
    "required": True,
    "content": {
        media: {"schema": ConsoleLogin.model_json_schema()}
        for media in ("application/json", "application/x-www-form-urlencoded")
    },
}


def _session_view(
    runtime: IdentityRuntime, principal: Principal, csrf: str, expires_at: float
) -> ConsoleSession:
    user = runtime.accounts.active_user(principal.subject)
    return ConsoleSession(
        subject=principal.subject,
        email=user.email if user else "",
        roles=sorted(principal.roles),
        scope=format_scope(principal.scopes),
        csrf_token=csrf,
        expires_at=datetime.fromtimestamp(expires_at, tz=UTC),
        idle_timeout=runtime.settings.console_idle_timeout,
    )


Runtime = Annotated[IdentityRuntime, Depends(runtime_of)]


def console_login(
    request: Request,
    response: Response,
    credentials: Annotated[ConsoleLogin, Depends(_login_body)],
    runtime: Runtime,
) -> ConsoleSession:
    """Staff and admins only; any other outcome is the same 401. A new session id is
    issued at every sign-in and the one the browser sent (if any) stops working."""
    client = request.client.host if request.client else "unknown"
    admission = runtime.throttle.admit(client, credentials.email)
    user = runtime.accounts.authenticate_user(credentials.email, credentials.password)
    roles = frozenset(user.roles.split()) if user else frozenset()
    if user is None or not roles & CONSOLE_ROLES:
        problem = unauthorized(runtime, "The email or password is incorrect.", scheme="Cookie")
        failed = runtime.throttle.failed(admission)
        problem.headers = {**(problem.headers or {}), **failed.headers()}
        raise problem
    opened = runtime.console.open(user.id, request.cookies.get(CONSOLE_COOKIE))
    response.set_cookie(
        CONSOLE_COOKIE,
        opened.session_id,
        max_age=runtime.settings.console_absolute_timeout,
        path="/",
        secure=True,
        httponly=True,
        samesite="strict",
    )
    response.headers.update({"Cache-Control": "no-store", **admission.decision.headers()})
    principal = Principal(user.id, roles, scopes_for_roles(roles), "console", None)
    return _session_view(runtime, principal, opened.csrf_token, opened.expires_at)


def console_logout(
    console: Annotated[ConsoleContext, Depends(console_context)], runtime: Runtime
) -> Response:
    runtime.console.close(console.session_id)
    response = Response(status_code=204)
    response.delete_cookie(CONSOLE_COOKIE, path="/", secure=True, httponly=True, samesite="strict")
    return response


def console_me(
    console: Annotated[ConsoleContext, Depends(console_context)], runtime: Runtime
) -> ConsoleSession:
    session = console.session
    return _session_view(runtime, console.principal, session.csrf_token, session.expires_at)


def add_console_routes(router: APIRouter) -> None:
    login_headers = {**RATE_LIMIT_HEADERS, "Set-Cookie": {"schema": {"type": "string"}}}
    router.add_api_route(
        "/v1/console/login",
        console_login,
        methods=["POST"],
        tags=["console"],
        summary="Sign in to the staff console (sets the session cookie)",
        operation_id="consoleLogin",
        response_model=ConsoleSession,
        openapi_extra={"requestBody": _LOGIN_BODY},
        responses={
            200: {
                "description": "Signed in; `Set-Cookie` carries the session.",
                "headers": login_headers,
            },
            **problem_responses(400, 401, 415, 422, 429, rate_limited=True),
        },
    )
    router.add_api_route(
        "/v1/console/logout",
        console_logout,
        methods=["POST"],
        tags=["console"],
        summary="Sign out of the staff console (needs X-CSRF-Token)",
        operation_id="consoleLogout",
        status_code=204,
        response_class=Response,
        responses={
            204: {"description": "Signed out; the cookie is cleared."},
            **problem_responses(401, 403),
        },
    )
    router.add_api_route(
        "/v1/console/me",
        console_me,
        methods=["GET"],
        tags=["console"],
        summary="The signed-in staff member and their CSRF token",
        operation_id="consoleMe",
        response_model=ConsoleSession,
        responses=problem_responses(401),
    )
