"""FastAPI security dependencies: who is calling, and may they do this?

Credentials, in order: ``Authorization: Bearer <RS256 JWT>``; else the staff console
session cookie. A console session acts with the scopes of the staff member's roles, and
on unsafe methods (POST, PUT, PATCH, DELETE) also needs the session's CSRF token in
``X-CSRF-Token`` — defence in depth on top of ``SameSite=Strict``. Service-to-service
calls use ``X-API-Key`` (``require_service``). Every refusal is an RFC 9457 problem with
an RFC 6750 ``WWW-Authenticate`` challenge (401) or ``insufficient_scope`` (403).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request, Security
from fastapi.openapi.models import OAuthFlowClientCredentials, OAuthFlowPassword, OAuthFlows
from fastapi.security import APIKeyCookie, APIKeyHeader, OAuth2, SecurityScopes
from fastapi.security.utils import get_authorization_scheme_param

from shop.identity.access_tokens import AccessClaims, InvalidToken
from shop.identity.console_sessions import ActiveSession
from shop.identity.principal import Principal
from shop.identity.problems import IdentityProblem
from shop.identity.runtime import IdentityRuntime, runtime_of
from shop.identity.scopes import SCOPES, format_scope, parse_scope, scopes_for_roles

TOKEN_PATH = "/v1/token"
CONSOLE_COOKIE = "__Host-shop-console"
CSRF_HEADER = "X-CSRF-Token"
API_KEY_HEADER = "X-API-Key"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

oauth2_scheme = OAuth2(
    flows=OAuthFlows(
        password=OAuthFlowPassword(tokenUrl=TOKEN_PATH, scopes=SCOPES),
        clientCredentials=OAuthFlowClientCredentials(tokenUrl=TOKEN_PATH, scopes=SCOPES),
    ),
    scheme_name="OAuth2",
    description="RS256 JWT access tokens from `POST /v1/token`; keys at "
    "`/.well-known/jwks.json`. Send as `Authorization: Bearer <token>`.",
    auto_error=False,
)
console_cookie_scheme = APIKeyCookie(
    name=CONSOLE_COOKIE,
    scheme_name="ConsoleSession",
    description="Staff console session from `POST /v1/console/login`. Unsafe methods also "
    f"need the session's CSRF token in `{CSRF_HEADER}`.",
    auto_error=False,
)
api_key_scheme = APIKeyHeader(
    name=API_KEY_HEADER,
    scheme_name="ServiceApiKey",
    description="Service-to-service API key.",
    auto_error=False,
)


def _challenge(runtime: IdentityRuntime, scheme: str = "Bearer", **params: str) -> str:
    parts = [f'realm="{runtime.settings.realm}"'] + [f'{k}="{v}"' for k, v in params.items()]
    return f"{scheme} " + ", ".join(parts)


def unauthorized(
    runtime: IdentityRuntime, detail: str, error: str | None = None, scheme: str = "Bearer"
) -> IdentityProblem:
    """401 with a challenge; ``error`` (RFC 6750) is set when credentials were refused."""
    params = {"error": error, "error_description": detail} if error else {}
    return IdentityProblem(
        401,
        "unauthorized",
        "Unauthorized",
        detail,
        headers={"WWW-Authenticate": _challenge(runtime, scheme, **params)},
        extra={"error": error} if error else None,
    )


def _forbidden(runtime: IdentityRuntime, missing: frozenset[str], scheme: str) -> IdentityProblem:
    scope = format_scope(missing)
    return IdentityProblem(
        403,
        "insufficient-scope",
        "Forbidden",
        f"This operation needs the scope(s): {scope}.",
        headers={
            "WWW-Authenticate": _challenge(runtime, scheme, error="insufficient_scope", scope=scope)
        },
    )


def bearer_claims(runtime: IdentityRuntime, authorization: str) -> AccessClaims:
    """The validated claims of a ``Bearer`` authorization header, else a 401 problem."""
    scheme, token = get_authorization_scheme_param(authorization)
    if scheme.lower() != "bearer" or not token:
        raise unauthorized(runtime, "Use the Bearer authentication scheme.", "invalid_request")
    try:
        return runtime.access_tokens.verify(token)
    except InvalidToken as exc:
        raise unauthorized(runtime, str(exc), "invalid_token") from exc


def _token_principal(runtime: IdentityRuntime, claims: AccessClaims) -> Principal:
    if claims.family_id and runtime.refresh_tokens.family_revoked(claims.family_id):
        raise unauthorized(runtime, "The session of this token was revoked.", "invalid_token")
    if claims.kind == "service":
        client = runtime.accounts.active_client(claims.subject)
        if client is None:
            raise unauthorized(runtime, "The client is no longer active.", "invalid_token")
        held = parse_scope(client.scopes)
        return Principal(
            claims.subject, frozenset(), claims.scopes & held, "service", claims.subject
        )
    user = runtime.accounts.active_user(claims.subject)
    if user is None:
        raise unauthorized(runtime, "The user is no longer active.", "invalid_token")
    roles = frozenset(user.roles.split())
    scopes = claims.scopes & scopes_for_roles(roles)
    return Principal(user.id, roles, scopes, "user", claims.client_id)


@dataclass(frozen=True)
class ConsoleContext:
    """A live console session and the principal it acts as."""

    principal: Principal
    session: ActiveSession
    session_id: str


def _console_context(runtime: IdentityRuntime, request: Request, session_id: str) -> ConsoleContext:
    session = runtime.console.resolve(session_id)
    user = runtime.accounts.active_user(session.user_id) if session else None
    if session is None or user is None:
        raise unauthorized(runtime, "The console session expired; sign in again.", scheme="Cookie")
    if request.method not in _SAFE_METHODS and not session.csrf_matches(
        request.headers.get(CSRF_HEADER)
    ):
        raise IdentityProblem(
            403, "csrf", "Forbidden", f"Unsafe console requests need a valid {CSRF_HEADER} header."
        )
    roles = frozenset(user.roles.split())
    principal = Principal(user.id, roles, scopes_for_roles(roles), "console", None)
    return ConsoleContext(principal, session, session_id)


def console_context(
    request: Request, session_id: Annotated[str | None, Security(console_cookie_scheme)]
) -> ConsoleContext:
    """Dependency of the console's own operations: a console session is required."""
    runtime = runtime_of(request)
    if not session_id:
        raise unauthorized(runtime, "Sign in to the console first.", scheme="Cookie")
    return _console_context(runtime, request, session_id)


def _current_principal(
    request: Request,
    authorization: Annotated[str | None, Security(oauth2_scheme)],
    session_id: Annotated[str | None, Security(console_cookie_scheme)],
) -> Principal | None:
    runtime = runtime_of(request)
    if authorization:
        return _token_principal(runtime, bearer_claims(runtime, authorization))
    if session_id:
        return _console_context(runtime, request, session_id).principal
    return None


def _required_principal(
    request: Request,
    security_scopes: SecurityScopes,
    principal: Annotated[Principal | None, Depends(_current_principal)],
) -> Principal:
    runtime = runtime_of(request)
    if principal is None:
        raise unauthorized(runtime, "This operation needs an access token.")
    missing = frozenset(security_scopes.scopes) - principal.scopes
    if missing:
        raise _forbidden(runtime, missing, "Bearer")
    return principal


def _service_principal(
    request: Request,
    security_scopes: SecurityScopes,
    api_key: Annotated[str | None, Security(api_key_scheme)],
) -> Principal:
    runtime = runtime_of(request)
    if not api_key:
        raise unauthorized(runtime, f"This operation needs an {API_KEY_HEADER}.", scheme="ApiKey")
    row = runtime.accounts.authenticate_api_key(api_key)
    if row is None:
        raise unauthorized(runtime, "The API key is invalid.", "invalid_token", scheme="ApiKey")
    principal = Principal(row.service, frozenset(), parse_scope(row.scopes), "service", row.service)
    missing = frozenset(security_scopes.scopes) - principal.scopes
    if missing:
        raise _forbidden(runtime, missing, "ApiKey")
    return principal


def require_scopes(*scopes: str) -> Any:
    """Dependency yielding the ``Principal``; 401 without valid credentials, 403 without
    every one of ``scopes``. Declares the OAuth2 scheme (with the scopes) and the console
    cookie as alternatives in the operation's OpenAPI ``security``."""
    unknown = set(scopes) - set(SCOPES)
    if unknown:
        raise ValueError(f"unknown scopes: {sorted(unknown)}")
    return Security(_required_principal, scopes=list(scopes))


OPTIONAL_AUTH_OPENAPI: dict[str, Any] = {"security": [{}]}
"""``openapi_extra`` for operations using ``optional_principal``: adds the empty security
requirement, so the document says anonymous calls are allowed too."""


def optional_principal() -> Any:
    """Dependency yielding the ``Principal`` or ``None`` when no credentials were sent.
    Credentials that were sent but are invalid still answer 401. Pair the operation with
    ``openapi_extra=OPTIONAL_AUTH_OPENAPI``."""
    return Depends(_current_principal)


def require_service(*scopes: str) -> Any:
    """Dependency for service-to-service calls authenticated by ``X-API-Key``; yields
    ``Principal(kind="service")``; 403 when the key lacks one of ``scopes``."""
    return Security(_service_principal, scopes=list(scopes))
