"""Opaque refresh tokens: stored hashed, rotated on every use, reuse revokes the family.

A *family* is one login. Each use of a refresh token marks it used (an atomic conditional
UPDATE, so two concurrent uses cannot both win) and issues the next token of the family.
Presenting a token that was already used means it leaked: the whole family is revoked,
so neither the thief nor the victim can refresh any more (OAuth 2.0 Security BCP §4.14).
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session, sessionmaker

from shop.identity.passwords import fingerprint
from shop.identity.scopes import format_scope, parse_scope
from shop.identity.tables import RefreshFamilyRow, RefreshTokenRow


class RefreshRefused(Exception):
    """The refresh token cannot be used; the message is safe to show."""


@dataclass(frozen=True)
class RefreshGrant:
    """A freshly issued refresh token and what it grants."""

    token: str
    family_id: str
    user_id: str
    client_id: str | None
    scopes: frozenset[str]


class RefreshTokens:
    def __init__(
        self, sessions: sessionmaker[Session], clock: Callable[[], float], ttl: int
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._ttl = ttl

    def start_family(
        self, user_id: str, client_id: str | None, scopes: frozenset[str]
    ) -> RefreshGrant:
        """The first refresh token of a new login; the family lives ``ttl`` seconds."""
        now = self._clock()
        family = RefreshFamilyRow(
            id=uuid.uuid4().hex,
            user_id=user_id,
            client_id=client_id,
            scope=format_scope(scopes),
            created_at=now,
            expires_at=now + self._ttl,
            revoked_at=None,
        )
        with self._sessions.begin() as session:
            session.add(family)
            session.flush()
            token = self._add_token(session, family.id, now)
        return RefreshGrant(token, family.id, user_id, client_id, scopes)

    def rotate(self, token: str, client_id: str | None) -> RefreshGrant:
        """Use ``token``: the next token of its family, or ``RefreshRefused``."""
        now = self._clock()
        with self._sessions.begin() as session:
            row = session.get(RefreshTokenRow, fingerprint(token))
            family = session.get(RefreshFamilyRow, row.family_id) if row else None
            if row is None or family is None:
                raise RefreshRefused("The refresh token is invalid.")
            if family.revoked_at is not None or now >= family.expires_at:
                raise RefreshRefused("The refresh token expired or was revoked.")
            if family.client_id != client_id:
                raise RefreshRefused("The refresh token was issued to another client.")
            next_token: str | None = None
            if self._mark_used(session, row.token_hash, now):
                next_token = self._add_token(session, family.id, now)
            else:
                family.revoked_at = now
        if next_token is None:
            raise RefreshRefused("The refresh token was already used; the session is revoked.")
        scopes = parse_scope(family.scope)
        return RefreshGrant(next_token, family.id, family.user_id, family.client_id, scopes)

    def revoke(self, token: str) -> bool:
        """Revoke the family of ``token``; False when the token is unknown."""
        with self._sessions() as session:
            row = session.get(RefreshTokenRow, fingerprint(token))
        if row is None:
            return False
        self.revoke_family(row.family_id)
        return True

    def revoke_family(self, family_id: str) -> None:
        with self._sessions.begin() as session:
            session.execute(
                update(RefreshFamilyRow)
                .where(RefreshFamilyRow.id == family_id, RefreshFamilyRow.revoked_at.is_(None))
                .values(revoked_at=self._clock())
            )

    def family_revoked(self, family_id: str) -> bool:
        with self._sessions() as session:
            family = session.get(RefreshFamilyRow, family_id)
        return family is None or family.revoked_at is not None

    @staticmethod
    def _add_token(session: Session, family_id: str, now: float) -> str:
        token = secrets.token_urlsafe(32)
        session.add(
            RefreshTokenRow(
                token_hash=fingerprint(token), family_id=family_id, created_at=now, used_at=None
            )
        )
        return token

    @staticmethod
    def _mark_used(session: Session, token_hash: str, now: float) -> bool:
        """Atomically claim the token; False when someone already used it."""
        result = session.execute(
            update(RefreshTokenRow)
            .where(RefreshTokenRow.token_hash == token_hash, RefreshTokenRow.used_at.is_(None))
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        )
        return isinstance(result, CursorResult) and result.rowcount == 1
