"""OAuth2 endpoints: ``POST /v1/token``, ``POST /v1/token/revoke``, ``POST /v1/logout``, JWKS."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Request, Response, Security
from pydantic import BaseModel, Field

from shop.identity.access_tokens import InvalidToken
from shop.identity.grants import TokenForm, grant_tokens
from shop.identity.problems import RATE_LIMIT_HEADERS, IdentityProblem, problem_responses
from shop.identity.runtime import IdentityRuntime, runtime_of
from shop.identity.security import bearer_claims, oauth2_scheme, unauthorized

_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


class TokenResponse(BaseModel):
    access_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int = Field(examples=[900])
    scope: str = Field(examples=["orders:read orders:write"])
    refresh_token: str | None = Field(None, description="Only for the password and refresh grants.")


class RevokeForm(BaseModel):
    token: str = Field(max_length=4096)
    token_type_hint: Literal["access_token", "refresh_token"] | None = None
    client_id: str | None = Field(None, max_length=100)
    client_secret: str | None = Field(None, max_length=1024)


class Jwk(BaseModel):
    kty: Literal["RSA"]
    use: Literal["sig"]
    alg: Literal["RS256"]
    kid: str
    n: str
    e: str


class Jwks(BaseModel):
    keys: list[Jwk]


def basic_credentials(request: Request) -> tuple[str, str] | None:
    """Client credentials from ``Authorization: Basic`` (RFC 6749 §2.3.1), if sent."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        client_id, sep, secret = base64.b64decode(value, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return (client_id, secret) if sep else None


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _identity_key(form: TokenForm, basic: tuple[str, str] | None) -> str | None:
    if form.grant_type == "password":
        return form.username
    if form.grant_type == "client_credentials":
        client = basic[0] if basic else form.client_id
        return f"client:{client}" if client else None
    return None


_TOKEN_SUCCESS_HEADERS: dict[str, Any] = {
    **RATE_LIMIT_HEADERS,
    "Cache-Control": {"description": "Always `no-store`.", "schema": {"type": "string"}},
}


Runtime = Annotated[IdentityRuntime, Depends(runtime_of)]


def issue_token(
    request: Request, response: Response, form: Annotated[TokenForm, Form()], runtime: Runtime
) -> TokenResponse:
    """Credentials are checked at the same cost and refused with the same answer whether
    or not the account exists. Granted scopes are those asked for that the account holds
    (all it holds when `scope` is omitted)."""
    basic = basic_credentials(request)
    admission = runtime.throttle.admit(_client_ip(request), _identity_key(form, basic))
    try:
        issued = grant_tokens(runtime, form, basic)
    except IdentityProblem as problem:
        failed = runtime.throttle.failed(admission)
        problem.headers = {**(problem.headers or {}), **failed.headers()}
        raise
    response.headers.update({**_NO_STORE, **admission.decision.headers()})
    return TokenResponse(**issued)


def revoke_token(
    request: Request, form: Annotated[RevokeForm, Form()], runtime: Runtime
) -> Response:
    """Unknown, expired or already revoked tokens answer 200 too, as RFC 7009 says."""
    credentials = basic_credentials(request) or (
        (form.client_id, form.client_secret or "") if form.client_id else None
    )
    if credentials and runtime.accounts.authenticate_client(*credentials) is None:
        raise unauthorized(runtime, "Client authentication failed.", "invalid_client", "Basic")
    if form.token_type_hint != "access_token" and runtime.refresh_tokens.revoke(form.token):
        return Response(status_code=200, headers=_NO_STORE)
    try:
        runtime.access_tokens.revoke(runtime.access_tokens.verify(form.token))
    except InvalidToken:
        runtime.refresh_tokens.revoke(form.token)
    return Response(status_code=200, headers=_NO_STORE)


def logout(
    authorization: Annotated[str | None, Security(oauth2_scheme)], runtime: Runtime
) -> Response:
    """Revoke the presented access token and, for a user login, its refresh-token family."""
    if not authorization:
        raise unauthorized(runtime, "Logging out needs the access token.")
    claims = bearer_claims(runtime, authorization)
    runtime.access_tokens.revoke(claims)
    if claims.family_id:
        runtime.refresh_tokens.revoke_family(claims.family_id)
    return Response(status_code=204)


def jwks(response: Response, runtime: Runtime) -> Jwks:
    """Every key that may have signed a live token; the first one signs new tokens."""
    response.headers["Cache-Control"] = "public, max-age=300"
    return Jwks.model_validate(runtime.keys.jwks())


def add_token_routes(router: APIRouter) -> None:
    router.add_api_route(
        "/v1/token",
        issue_token,
        methods=["POST"],
        tags=["identity"],
        summary="Issue tokens (OAuth 2.0 password, client_credentials and refresh_token grants)",
        operation_id="issueToken",
        response_model=TokenResponse,
        response_model_exclude_none=True,
        responses={
            200: {"description": "Tokens issued.", "headers": _TOKEN_SUCCESS_HEADERS},
            **problem_responses(400, 401, 422, 429, rate_limited=True),
        },
    )
    router.add_api_route(
        "/v1/token/revoke",
        revoke_token,
        methods=["POST"],
        tags=["identity"],
        summary="Revoke a refresh or access token (RFC 7009)",
        operation_id="revokeToken",
        response_class=Response,
        responses={
            200: {"description": "Revoked, or the token was unknown (RFC 7009 §2.2)."},
            **problem_responses(401, 422),
        },
    )
    router.add_api_route(
        "/v1/logout",
        logout,
        methods=["POST"],
        tags=["identity"],
        summary="Log out: revoke this access token and its refresh-token family",
        operation_id="logout",
        status_code=204,
        response_class=Response,
        responses={204: {"description": "Logged out."}, **problem_responses(401)},
    )
    router.add_api_route(
        "/.well-known/jwks.json",
        jwks,
        methods=["GET"],
        tags=["identity"],
        summary="Public keys that verify access tokens (JWKS, RFC 7517)",
        operation_id="getJwks",
        response_model=Jwks,
    )
