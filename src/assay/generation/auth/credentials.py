"""The credential matrix: every protected operation called without a valid credential.

For each operation whose every security alternative needs a credential, one valid
request is sent as the identity the engine picks (the baseline of the evidence), then
the same request with: no credentials; a malformed credential for each of its
schemes; every broken JWT variant for bearer and OAuth2 schemes (from the tokens the
service issued to the run's identities, and from `[auth.tokens]` when a key is
configured); and credentials of another scheme (an API key where a bearer token is
expected, a bearer token where an API key is). Each variant case is sent anonymously
(`ANONYMOUS`, with the credential in its own headers) or as an identity with fixed
credentials, so no variant ever makes a configured identity log in again.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from assay.client.tokens import decode_unverified, keyless_variants, public_pem_from_jwks
from assay.generation.auth.probes import (
    CREDENTIALS,
    AuthContext,
    base_case,
    bearer_like,
    configured_identities,
    identity_fits,
    protects_identities,
    remember_baseline,
)
from assay.generation.cases import ANONYMOUS, Case
from assay.spec.model import Operation, SecurityScheme

if TYPE_CHECKING:
    from assay.client.identities import Identity
    from assay.client.tokens import TokenMinter

__all__ = ["KeyMaterial", "credential_matrix", "query_key_identity", "variant_cases"]

_MALFORMED_TOKEN = "assay-malformed-token"
_INVALID_KEY = "assay-invalid-key"
_UNKNOWN_BASIC = base64.b64encode(b"assay-unknown-user:assay-wrong-password").decode()
_TIME_CLAIMS = ("iat", "exp", "nbf", "iss", "aud", "jti")


@dataclass(slots=True)
class KeyMaterial:
    """What the phase breaks tokens with: a minter, the service's public key, its tokens."""

    minter: TokenMinter | None = None
    public_pem: str | None = None
    _cache: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def gather(cls, ctx: AuthContext) -> KeyMaterial:
        auth = ctx.settings.auth
        minter = auth.minter() if auth is not None else None
        public = minter.public_key if minter is not None else None
        return cls(minter, public or _jwks_public_key(ctx))

    def variants(self, token: str | None) -> dict[str, str]:
        """Broken tokens: of `token` (one the service issued) and minted ones."""
        key = token or ""
        if key not in self._cache:
            found = keyless_variants(token, public_pem=self.public_pem) if token else {}
            if self.minter is not None:
                claims = _identity_claims(token)
                for name, value in self.minter.variants(**claims).items():
                    found.setdefault(name, value)
            self._cache[key] = found
        return self._cache[key]


def _identity_claims(token: str | None) -> dict[str, Any]:
    decoded = decode_unverified(token) if token else None
    if decoded is None:
        return {}
    return {k: v for k, v in decoded[1].items() if k not in _TIME_CLAIMS}


def _jwks_public_key(ctx: AuthContext) -> str | None:
    """The service's public key, from a public JWKS operation of its spec."""
    for operation in ctx.spec.operations:
        if operation.method != "get" or "jwks" not in operation.path.lower():
            continue
        if operation.requires_auth or "{" in operation.path:
            continue
        response = ctx.engine.client.request("GET", operation.path, validate=False)
        try:
            document = response.json()
        except ValueError:
            return None
        return public_pem_from_jwks(document) if isinstance(document, dict) else None
    return None


def _schemes(operation: Operation) -> list[SecurityScheme]:
    seen: dict[str, SecurityScheme] = {}
    for requirement in operation.security:
        for scheme, _ in requirement.schemes:
            seen.setdefault(scheme.name, scheme)
    return list(seen.values())


Variant = tuple[str, dict[str, str], dict[str, str], str]
"""A variant's name, headers, cookies, and the identity sending it ("": none)."""


def query_key_identity(scheme: SecurityScheme) -> Identity:
    """An identity sending an invalid key in the query parameter of an apiKey scheme.

    A query parameter the spec does not declare cannot travel in a `Case`; the
    identity's auth flow adds it, as it adds a real key.
    """
    from assay.client.identities import Identity

    return Identity.api_key(
        f"~invalid-key:{scheme.name}",
        _INVALID_KEY,
        parameter=scheme.parameter_name or "api_key",
        location="query",
    )


def _malformed(scheme: SecurityScheme, query_keys: Mapping[str, str]) -> Iterator[Variant]:
    name = f"invalid_api_key:{scheme.name}"
    if bearer_like(scheme):
        yield "malformed_bearer", {"Authorization": f"Bearer {_MALFORMED_TOKEN}"}, {}, ""
    elif scheme.type == "http" and (scheme.scheme or "").lower() == "basic":
        yield "unknown_basic_user", {"Authorization": f"Basic {_UNKNOWN_BASIC}"}, {}, ""
    elif scheme.type == "apiKey" and scheme.parameter_name:
        if scheme.location == "header":
            yield name, {scheme.parameter_name: _INVALID_KEY}, {}, ""
        elif scheme.location == "cookie":
            yield name, {}, {scheme.parameter_name: _INVALID_KEY}, ""
        elif scheme.name in query_keys:
            yield name, {}, {}, query_keys[scheme.name]


def _foreign(
    operation: Operation, identities: list[Identity]
) -> Iterator[tuple[str, dict[str, str], str]]:
    """Credentials of identities that fit none of the operation's schemes.

    Fixed credentials go as the identity itself; a token an identity renews goes in a
    header of the case, so a refusal never makes that identity log in again.
    """
    has_bearer = any(bearer_like(s) for s in _schemes(operation))
    for identity in identities:
        if identity.auth is None or identity_fits(identity, operation):
            continue
        if identity.disposable() is None and identity.kind != "oauth2":
            yield f"other_scheme:{identity.kind}", {}, identity.name
        elif identity.bearer_token and not has_bearer:
            yield "other_scheme:bearer", {"Authorization": f"Bearer {identity.bearer_token}"}, ""


def variant_cases(
    base: Case,
    identities: list[Identity],
    keys: KeyMaterial,
    token: str | None,
    query_keys: Mapping[str, str] | None = None,
) -> list[Case]:
    """The credential-matrix cases for one operation, built from its valid `base` case.

    `query_keys` names, per apiKey-in-query scheme, the adopted identity that sends an
    invalid key (`query_key_identity`).
    """
    operation = base.operation

    def variant(name: str, headers: dict[str, str], cookies: dict[str, str], who: str) -> Case:
        return replace(
            base,
            headers={**base.headers, **headers},
            cookies={**base.cookies, **cookies},
            identity=who or ANONYMOUS,
            kind="negative",
            mutation=f"{CREDENTIALS}{name}",
        )

    cases = [variant("none", {}, {}, "")]
    schemes = _schemes(operation)
    for scheme in schemes:
        cases.extend(variant(*found) for found in _malformed(scheme, query_keys or {}))
    if any(bearer_like(s) for s in schemes):
        for name, broken in keys.variants(token).items():
            cases.append(variant(name, {"Authorization": f"Bearer {broken}"}, {}, ""))
    cases.extend(variant(n, h, {}, who) for n, h, who in _foreign(operation, identities))
    return cases


def _token_for(ctx: AuthContext, identities: list[Identity], chosen: str | None) -> str | None:
    by_name = {i.name: i for i in identities}
    preferred = by_name.get(chosen or "")
    if preferred is not None and preferred.bearer_token:
        return preferred.bearer_token
    return next((i.bearer_token for i in identities if i.bearer_token), None)


def credential_matrix(ctx: AuthContext) -> None:
    """Send every protected operation's credential variants (see the module docstring)."""
    keys = KeyMaterial.gather(ctx)
    identities = configured_identities(ctx)
    query_keys = {
        scheme.name: ctx.engine.adopt(query_key_identity(scheme))
        for scheme in ctx.spec.security_schemes.values()
        if scheme.type == "apiKey" and scheme.location == "query"
    }

    def work(operation: Operation) -> bool:
        if not operation.requires_auth or ctx.expired:
            return not ctx.expired
        base = base_case(ctx, operation)
        if base is None:
            return True
        chosen = ctx.engine.identity_for(operation)
        if chosen is not None and not protects_identities(operation):
            first = replace(base, identity=chosen)
            remember_baseline(ctx, first, ctx.execute(first))
        token = _token_for(ctx, identities, chosen)
        ctx.execute_together(variant_cases(base, identities, keys, token, query_keys))
        return not ctx.expired

    ctx.for_each_operation(work)
