"""RS256 access tokens: minting and the strict validation every request goes through."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import jwt
from sqlalchemy import delete
from sqlalchemy.orm import Session, sessionmaker

from shop.identity.keys import KeyRing
from shop.identity.scopes import format_scope, parse_scope
from shop.identity.settings import IdentitySettings
from shop.identity.tables import RevokedTokenRow

_REQUIRED_CLAIMS = ["iss", "aud", "sub", "exp", "nbf", "iat", "jti"]
_ALGORITHM = "RS256"


class InvalidToken(Exception):
    """The token is not acceptable; the message is the RFC 6750 ``error_description``."""


@dataclass(frozen=True)
class AccessClaims:
    """The validated content of an access token."""

    subject: str
    kind: Literal["user", "service"]
    scopes: frozenset[str]
    roles: frozenset[str]
    client_id: str | None
    jti: str
    expires_at: float
    family_id: str | None


class AccessTokens:
    """Mints and validates access tokens; keeps the revoked ``jti``s until they expire."""

    def __init__(
        self, settings: IdentitySettings, keys: KeyRing, sessions: sessionmaker[Session]
    ) -> None:
        self._settings = settings
        self._keys = keys
        self._sessions = sessions
        self._clock: Callable[[], float] = settings.clock

    def mint(
        self,
        *,
        subject: str,
        kind: Literal["user", "service"],
        scopes: frozenset[str],
        roles: frozenset[str] = frozenset(),
        client_id: str | None = None,
        family_id: str | None = None,
    ) -> tuple[str, int]:
        """A signed access token for these claims; returns it with its lifetime (seconds)."""
        now = int(self._clock())
        ttl = self._settings.access_token_ttl
        spec = AccessClaims(
            subject, kind, scopes, roles, client_id, uuid.uuid4().hex, now + ttl, family_id
        )
        payload: dict[str, Any] = {
            "iss": self._settings.issuer,
            "aud": self._settings.audience,
            "sub": spec.subject,
            "iat": now,
            "nbf": now,
            "exp": int(spec.expires_at),
            "jti": spec.jti,
            "scope": format_scope(spec.scopes),
            "roles": sorted(spec.roles),
            "kind": spec.kind,
        }
        if spec.client_id is not None:
            payload["client_id"] = spec.client_id
        if spec.family_id is not None:
            payload["sid"] = spec.family_id
        key = self._keys.active
        token = jwt.encode(payload, key.private_key, algorithm=_ALGORITHM, headers={"kid": key.kid})
        return token, ttl

    def verify(self, token: str) -> AccessClaims:
        """The claims of ``token``, or ``InvalidToken`` — including when it was revoked."""
        claims = self._decode(token)
        self._check_times(claims)
        kind = claims.get("kind", "user")
        if kind not in ("user", "service"):
            raise InvalidToken("The token kind is not recognised.")
        result = AccessClaims(
            subject=claims["sub"],
            kind=kind,
            scopes=parse_scope(
                claims.get("scope") if isinstance(claims.get("scope"), str) else None
            ),
            roles=frozenset(r for r in claims.get("roles", []) if isinstance(r, str)),
            client_id=claims.get("client_id"),
            jti=claims["jti"],
            expires_at=float(claims["exp"]),
            family_id=claims.get("sid"),
        )
        if self.is_revoked(result.jti):
            raise InvalidToken("The token was revoked.")
        return result

    def _decode(self, token: str) -> dict[str, Any]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise InvalidToken("The token is malformed.") from exc
        if header.get("alg") != _ALGORITHM:
            raise InvalidToken("The token must be signed with RS256.")
        key = self._keys.find(str(header.get("kid", "")))
        if key is None:
            raise InvalidToken("The token was signed by an unknown key.")
        try:
            return jwt.decode(
                token,
                key.public_key,
                algorithms=[_ALGORITHM],
                audience=self._settings.audience,
                issuer=self._settings.issuer,
                options={
                    "require": _REQUIRED_CLAIMS,
                    "verify_exp": False,
                    "verify_nbf": False,
                    "verify_iat": False,
                },
            )
        except jwt.InvalidAudienceError as exc:
            raise InvalidToken("The token is not meant for this audience.") from exc
        except jwt.InvalidIssuerError as exc:
            raise InvalidToken("The token was not issued by this issuer.") from exc
        except jwt.MissingRequiredClaimError as exc:
            raise InvalidToken(f"The token lacks the {exc.claim!r} claim.") from exc
        except jwt.PyJWTError as exc:
            raise InvalidToken("The token signature or format is invalid.") from exc

    def _check_times(self, claims: dict[str, Any]) -> None:
        """Expiry and not-before against the injectable clock (PyJWT uses the wall clock)."""
        now, leeway = self._clock(), self._settings.leeway
        for name in ("exp", "nbf", "iat"):
            if not isinstance(claims[name], int | float) or isinstance(claims[name], bool):
                raise InvalidToken(f"The {name!r} claim must be a number.")
        if now >= claims["exp"] + leeway:
            raise InvalidToken("The token expired.")
        if now + leeway < claims["nbf"]:
            raise InvalidToken("The token is not valid yet.")

    def revoke(self, claims: AccessClaims) -> None:
        """Refuse this token from now on (until its expiry, after which it is refused anyway)."""
        with self._sessions.begin() as session:
            if session.get(RevokedTokenRow, claims.jti) is None:
                session.add(RevokedTokenRow(jti=claims.jti, expires_at=claims.expires_at))
            session.execute(
                delete(RevokedTokenRow).where(RevokedTokenRow.expires_at < self._clock())
            )

    def is_revoked(self, jti: str) -> bool:
        with self._sessions() as session:
            return session.get(RevokedTokenRow, jti) is not None
