"""Staff console sessions: server-side, id hashed at rest, idle and absolute expiry.

The cookie holds a 256-bit random id; the table holds its SHA-256, so a database leak
does not hand out sessions. Each login creates a new id (and drops the one the browser
sent, defeating fixation); logout deletes it. Every session has a CSRF token (readable
from ``/v1/console/me``), required in ``X-CSRF-Token`` on unsafe methods on top of
``SameSite=Strict``.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import delete
from sqlalchemy.orm import Session, sessionmaker

from shop.identity.passwords import fingerprint, same_secret
from shop.identity.tables import ConsoleSessionRow


@dataclass(frozen=True)
class OpenedSession:
    session_id: str
    csrf_token: str
    expires_at: float


@dataclass(frozen=True)
class ActiveSession:
    user_id: str
    csrf_token: str
    created_at: float
    expires_at: float

    def csrf_matches(self, header: str | None) -> bool:
        return header is not None and same_secret(header, self.csrf_token)


class ConsoleSessions:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: Callable[[], float],
        idle_timeout: int,
        absolute_timeout: int,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._idle = idle_timeout
        self._absolute = absolute_timeout

    def open(self, user_id: str, previous_id: str | None) -> OpenedSession:
        """A new session for ``user_id``; the previous id (if any) stops working."""
        now = self._clock()
        session_id, csrf_token = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        with self._sessions.begin() as session:
            if previous_id:
                session.execute(
                    delete(ConsoleSessionRow).where(
                        ConsoleSessionRow.id_hash == fingerprint(previous_id)
                    )
                )
            session.add(
                ConsoleSessionRow(
                    id_hash=fingerprint(session_id),
                    user_id=user_id,
                    csrf_token=csrf_token,
                    created_at=now,
                    last_seen_at=now,
                )
            )
        return OpenedSession(session_id, csrf_token, now + self._absolute)

    def resolve(self, session_id: str) -> ActiveSession | None:
        """The live session with this id (its idle timer restarts), else None."""
        now = self._clock()
        with self._sessions.begin() as session:
            row = session.get(ConsoleSessionRow, fingerprint(session_id))
            if row is None:
                return None
            idle = now - row.last_seen_at >= self._idle
            if idle or now - row.created_at >= self._absolute:
                session.delete(row)
                return None
            row.last_seen_at = now
            return ActiveSession(
                row.user_id, row.csrf_token, row.created_at, row.created_at + self._absolute
            )

    def close(self, session_id: str) -> None:
        with self._sessions.begin() as session:
            session.execute(
                delete(ConsoleSessionRow).where(
                    ConsoleSessionRow.id_hash == fingerprint(session_id)
                )
            )

    def close_all(self, user_id: str) -> None:
        with self._sessions.begin() as session:
            session.execute(delete(ConsoleSessionRow).where(ConsoleSessionRow.user_id == user_id))
