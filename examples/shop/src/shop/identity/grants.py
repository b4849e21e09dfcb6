"""The three OAuth 2.0 grants of ``POST /v1/token`` and their RFC 6749 §5.2 errors."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from shop.identity.problems import IdentityProblem
from shop.identity.refresh_tokens import RefreshRefused
from shop.identity.runtime import IdentityRuntime
from shop.identity.scopes import format_scope, parse_scope, scopes_for_roles
from shop.identity.security import unauthorized


class TokenForm(BaseModel):
    """The form of ``POST /v1/token`` (RFC 6749 §4.3, §4.4, §6)."""

    grant_type: str | None = Field(None, max_length=64, examples=["password"])
    username: str | None = Field(None, max_length=320, examples=["ada@example.com"])
    password: str | None = Field(None, max_length=1024)
    scope: str | None = Field(None, max_length=1000, examples=["orders:read orders:write"])
    refresh_token: str | None = Field(None, max_length=200)
    client_id: str | None = Field(None, max_length=100)
    client_secret: str | None = Field(None, max_length=1024)


def oauth_error(error: str, detail: str) -> IdentityProblem:
    """A 400 answer carrying the OAuth 2.0 error code in ``error``."""
    titles = {
        "invalid_request": "Invalid request",
        "invalid_grant": "Invalid grant",
        "invalid_scope": "Invalid scope",
        "unsupported_grant_type": "Unsupported grant type",
    }
    return IdentityProblem(
        400, error.replace("_", "-"), titles[error], detail, extra={"error": error}
    )


def narrow(requested: str | None, held: frozenset[str]) -> frozenset[str]:
    """What was asked for that is held (everything held when nothing was asked for)."""
    if not requested:
        return held
    granted = parse_scope(requested) & held
    if not granted:
        raise oauth_error("invalid_scope", "None of the requested scopes can be granted.")
    return granted


def _password_grant(runtime: IdentityRuntime, form: TokenForm) -> dict[str, Any]:
    if not form.username or form.password is None:
        raise oauth_error("invalid_request", "The password grant needs username and password.")
    user = runtime.accounts.authenticate_user(form.username, form.password)
    if user is None:
        raise oauth_error("invalid_grant", "The username or password is incorrect.")
    roles = frozenset(user.roles.split())
    scopes = narrow(form.scope, scopes_for_roles(roles))
    refresh = runtime.refresh_tokens.start_family(user.id, None, scopes)
    token, ttl = runtime.access_tokens.mint(
        subject=user.id, kind="user", scopes=scopes, roles=roles, family_id=refresh.family_id
    )
    return _issued(token, ttl, scopes, refresh.token)


def _refresh_grant(runtime: IdentityRuntime, form: TokenForm) -> dict[str, Any]:
    if not form.refresh_token:
        raise oauth_error("invalid_request", "The refresh_token grant needs refresh_token.")
    try:
        refresh = runtime.refresh_tokens.rotate(form.refresh_token, None)
    except RefreshRefused as exc:
        raise oauth_error("invalid_grant", str(exc)) from exc
    user = runtime.accounts.active_user(refresh.user_id)
    if user is None:
        runtime.refresh_tokens.revoke_family(refresh.family_id)
        raise oauth_error("invalid_grant", "The refresh token expired or was revoked.")
    roles = frozenset(user.roles.split())
    scopes = narrow(form.scope, refresh.scopes & scopes_for_roles(roles))
    token, ttl = runtime.access_tokens.mint(
        subject=user.id, kind="user", scopes=scopes, roles=roles, family_id=refresh.family_id
    )
    return _issued(token, ttl, scopes, refresh.token)


def _client_grant(
    runtime: IdentityRuntime, form: TokenForm, basic: tuple[str, str] | None
) -> dict[str, Any]:
    client_id, secret = basic or (form.client_id, form.client_secret)
    if not client_id or secret is None:
        raise unauthorized(runtime, "Client authentication is required.", "invalid_client", "Basic")
    client = runtime.accounts.authenticate_client(client_id, secret)
    if client is None:
        raise unauthorized(runtime, "Client authentication failed.", "invalid_client", "Basic")
    scopes = narrow(form.scope, parse_scope(client.scopes))
    token, ttl = runtime.access_tokens.mint(
        subject=client.client_id, kind="service", scopes=scopes, client_id=client.client_id
    )
    return _issued(token, ttl, scopes, None)


def _issued(token: str, ttl: int, scopes: frozenset[str], refresh: str | None) -> dict[str, Any]:
    return {
        "access_token": token,
        "token_type": "Bearer",
        "expires_in": ttl,
        "scope": format_scope(scopes),
        "refresh_token": refresh,
    }


def grant_tokens(
    runtime: IdentityRuntime, form: TokenForm, basic: tuple[str, str] | None
) -> dict[str, Any]:
    """The token response for ``form``, or an ``IdentityProblem``."""
    if form.grant_type == "password":
        return _password_grant(runtime, form)
    if form.grant_type == "refresh_token":
        return _refresh_grant(runtime, form)
    if form.grant_type == "client_credentials":
        return _client_grant(runtime, form, basic)
    if not form.grant_type:
        raise oauth_error("invalid_request", "grant_type is required.")
    raise oauth_error(
        "unsupported_grant_type",
        "grant_type must be password, client_credentials or refresh_token.",
    )
