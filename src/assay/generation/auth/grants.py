"""Token requests for more scopes than an identity holds.

For each identity that logs in with the OAuth2 password grant and declares its
``scopes``, one token request (with its own credentials) asks for every scope the
spec's OAuth2 flows declare. A correct server answers ``invalid_scope`` or grants only
the scopes the user holds; `assay.checks.access.token_grants_unheld_scopes` judges the
answer. One login per such identity, no more.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from assay.client.tokens import decode_unverified
from assay.generation.auth.probes import AuthContext, configured_identities
from assay.generation.cases import ANONYMOUS, Case

if TYPE_CHECKING:
    from assay.spec.model import Operation

__all__ = ["STEP_TOKEN_SCOPES", "granted_scopes", "token_scopes"]

STEP_TOKEN_SCOPES = "token_scopes"
_FORM = "application/x-www-form-urlencoded"


def granted_scopes(body: Any) -> set[str]:
    """The scopes a token response grants: its ``scope``, else the JWT's claim."""
    if not isinstance(body, Mapping):
        return set()
    scope = body.get("scope")
    if isinstance(scope, str):
        return set(scope.split())
    token = body.get("access_token")
    decoded = decode_unverified(token) if isinstance(token, str) else None
    if decoded is None:
        return set()
    claim = decoded[1].get("scope", decoded[1].get("scp"))
    if isinstance(claim, str):
        return set(claim.split())
    return {str(s) for s in claim} if isinstance(claim, list) else set()


def _declared_scopes(ctx: AuthContext) -> set[str]:
    return {
        scope
        for scheme in ctx.spec.security_schemes.values()
        for flow in scheme.flows.values()
        for scope in flow.scopes
    }


def _token_operation(ctx: AuthContext, url: str) -> Operation | None:
    path = url.split("?", 1)[0]
    return next((op for op in ctx.spec.operations if op.method == "post" and op.path == path), None)


def token_scopes(ctx: AuthContext) -> None:
    """Ask for every declared scope as each identity that declares what it holds."""
    declared = _declared_scopes(ctx)
    for identity in configured_identities(ctx):
        login = identity.login
        if login is None or login.kind != "token" or not identity.scopes or ctx.expired:
            continue
        if not declared - identity.scopes:
            continue
        operation = _token_operation(ctx, login.url)
        if operation is None or operation.request_body is None:
            continue
        media = _FORM if operation.request_body.media(_FORM) is not None else "application/json"
        requested = " ".join(sorted(declared))
        body = {**login.body(login.username, login.password), "scope": requested}
        facts = {
            "step": STEP_TOKEN_SCOPES,
            "identity": identity.name,
            "held": sorted(identity.scopes),
            "requested": requested,
        }
        case = Case(operation, body=body, media_type=media, identity=ANONYMOUS, scenario=facts)
        ctx.execute(case)
