"""Who sends a case: the identity whose credential fits its operation's security.

The engine asks `identity_for` for every case that does not name its identity.
"""

from __future__ import annotations

from collections.abc import Sequence

from assay.client.identities import Identity
from assay.spec.model import Operation, SecurityScheme, Spec

__all__ = ["identity_for"]

_KNOWN_KINDS = frozenset(
    {
        "anonymous",
        "bearer",
        "basic",
        "cookie",
        "oauth2",
        "apiKey:header",
        "apiKey:query",
        "apiKey:cookie",
    }
)


def identity_for(spec: Spec, identities: Sequence[Identity], operation: Operation) -> str | None:
    """The identity that sends an operation's cases: None for public operations.

    The first identity whose credential kind fits a security requirement of the
    operation and whose declared scopes cover the requirement's (identities that
    declare no scopes are assumed to hold them); else the first that fits at all;
    else None (the cases go without credentials).
    """
    requirements = operation.security or spec.security
    if not requirements or any(r.is_anonymous for r in requirements):
        return None
    fitting = [
        (identity, requirement)
        for requirement in requirements
        for identity in identities
        if all(_fits(identity, scheme) for scheme, _ in requirement.schemes)
    ]
    for identity, requirement in fitting:
        needed = {scope for _, scopes in requirement.schemes for scope in scopes}
        if not identity.scopes or needed <= identity.scopes:
            return identity.name
    if fitting:
        return fitting[0][0].name
    # Credentials of the wrong kind prove nothing (a bearer token sent to a
    # cookie-only operation); only an identity with custom auth may still fit.
    custom = [i for i in identities if i.auth is not None and i.kind not in _KNOWN_KINDS]
    return custom[0].name if custom else None


def _fits(identity: Identity, scheme: SecurityScheme) -> bool:
    """Whether an identity's credentials are of the kind a security scheme takes."""
    if scheme.type in ("oauth2", "openIdConnect"):
        return identity.kind in ("oauth2", "bearer")
    if scheme.type == "http":
        wanted = (scheme.scheme or "").lower()
        return identity.kind == ("basic" if wanted == "basic" else "bearer") or (
            wanted == "bearer" and identity.kind == "oauth2"
        )
    if scheme.type == "apiKey":
        return identity.kind == f"apiKey:{scheme.location}" or (
            scheme.location == "cookie" and identity.kind == "cookie"
        )
    return False
