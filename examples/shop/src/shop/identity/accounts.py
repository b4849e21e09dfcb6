"""Users, OAuth2 clients and service API keys: creation, authentication, status."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable, Iterable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from shop.identity.passwords import PasswordHasher, fingerprint, same_secret
from shop.identity.scopes import ROLE_SCOPES, format_scope
from shop.identity.settings import IdentitySettings, SeedApiKey, SeedClient, SeedUser
from shop.identity.tables import ApiKeyRow, ClientRow, UserRow

API_KEY_PREFIX_LENGTH = 12


def normalize_email(email: str) -> str:
    """Emails compare case-insensitively and without surrounding blanks."""
    return email.strip().casefold()


class Accounts:
    """Persistence and verification of every kind of account."""

    def __init__(
        self, sessions: sessionmaker[Session], hasher: PasswordHasher, clock: Callable[[], float]
    ) -> None:
        self._sessions = sessions
        self._hasher = hasher
        self._clock = clock

    def create_user(
        self,
        email: str,
        password: str,
        roles: Iterable[str] = ("customer",),
        *,
        disabled: bool = False,
    ) -> str:
        """Create a user and return their id (the ``sub`` of their tokens)."""
        roles = tuple(roles)
        unknown = set(roles) - set(ROLE_SCOPES)
        if unknown:
            raise ValueError(f"unknown roles: {sorted(unknown)}")
        row = UserRow(
            id=uuid.uuid4().hex,
            email=normalize_email(email),
            password_hash=self._hasher.hash(password),
            roles=" ".join(sorted(roles)),
            disabled=disabled,
            created_at=self._clock(),
        )
        with self._sessions.begin() as session:
            session.add(row)
        return row.id

    def authenticate_user(self, email: str, password: str) -> UserRow | None:
        """The active user with these credentials; same cost whether the user exists or not."""
        with self._sessions() as session:
            row = session.scalar(select(UserRow).where(UserRow.email == normalize_email(email)))
        valid = self._hasher.verify(password, row.password_hash if row else None)
        return row if valid and row is not None and not row.disabled else None

    def active_user(self, user_id: str) -> UserRow | None:
        with self._sessions() as session:
            row = session.get(UserRow, user_id)
        return row if row is not None and not row.disabled else None

    def user_by_email(self, email: str) -> UserRow | None:
        with self._sessions() as session:
            return session.scalar(select(UserRow).where(UserRow.email == normalize_email(email)))

    def set_disabled(self, user_id: str, disabled: bool) -> None:
        with self._sessions.begin() as session:
            row = session.get(UserRow, user_id)
            if row is not None:
                row.disabled = disabled

    def set_roles(self, user_id: str, roles: Iterable[str]) -> None:
        with self._sessions.begin() as session:
            row = session.get(UserRow, user_id)
            if row is not None:
                row.roles = " ".join(sorted(roles))

    def delete_user(self, user_id: str) -> None:
        with self._sessions.begin() as session:
            row = session.get(UserRow, user_id)
            if row is not None:
                session.delete(row)

    def create_client(self, client_id: str, secret: str, scopes: Iterable[str]) -> None:
        row = ClientRow(
            client_id=client_id,
            secret_hash=self._hasher.hash(secret),
            scopes=format_scope(scopes),
            disabled=False,
            created_at=self._clock(),
        )
        with self._sessions.begin() as session:
            session.add(row)

    def authenticate_client(self, client_id: str, secret: str) -> ClientRow | None:
        with self._sessions() as session:
            row = session.get(ClientRow, client_id)
        valid = self._hasher.verify(secret, row.secret_hash if row else None)
        return row if valid and row is not None and not row.disabled else None

    def active_client(self, client_id: str) -> ClientRow | None:
        with self._sessions() as session:
            row = session.get(ClientRow, client_id)
        return row if row is not None and not row.disabled else None

    def create_api_key(self, service: str, scopes: Iterable[str], key: str | None = None) -> str:
        """Store (the hash of) an API key for ``service``; returns the key, shown only once."""
        key = key or "shop_" + secrets.token_urlsafe(32)
        row = ApiKeyRow(
            key_hash=fingerprint(key),
            prefix=key[:API_KEY_PREFIX_LENGTH],
            service=service,
            scopes=format_scope(scopes),
            revoked=False,
            created_at=self._clock(),
        )
        with self._sessions.begin() as session:
            session.add(row)
        return key

    def authenticate_api_key(self, key: str) -> ApiKeyRow | None:
        """The live key row matching ``key``: looked up by prefix, compared by hash."""
        digest = fingerprint(key)
        with self._sessions() as session:
            rows = session.scalars(
                select(ApiKeyRow).where(ApiKeyRow.prefix == key[:API_KEY_PREFIX_LENGTH])
            ).all()
        match = next((row for row in rows if same_secret(row.key_hash, digest)), None)
        return match if match is not None and not match.revoked else None

    def revoke_api_key(self, key: str) -> None:
        with self._sessions.begin() as session:
            row = session.get(ApiKeyRow, fingerprint(key))
            if row is not None:
                row.revoked = True

    def seed(self, settings: IdentitySettings) -> None:
        """Create the seed users, clients and keys that do not exist yet (idempotent, also
        when several processes sharing the database start at the same moment)."""
        for user in settings.seed_users:
            self._seed_user(user)
        for client in settings.seed_clients:
            self._seed_client(client)
        for api_key in settings.seed_api_keys:
            self._seed_api_key(api_key)

    def _seed_user(self, user: SeedUser) -> None:
        _seed_once(
            lambda: self.user_by_email(user.email) is not None,
            lambda: self.create_user(user.email, user.password, user.roles, disabled=user.disabled),
        )

    def _seed_client(self, client: SeedClient) -> None:
        _seed_once(
            lambda: self._exists(ClientRow, client.client_id),
            lambda: self.create_client(client.client_id, client.secret, client.scopes),
        )

    def _seed_api_key(self, api_key: SeedApiKey) -> None:
        _seed_once(
            lambda: self._exists(ApiKeyRow, fingerprint(api_key.key)),
            lambda: self.create_api_key(api_key.service, api_key.scopes, api_key.key),
        )

    def _exists(self, table: type[ClientRow] | type[ApiKeyRow], key: str) -> bool:
        with self._sessions() as session:
            return session.get(table, key) is not None


def _seed_once(exists: Callable[[], bool], create: Callable[[], object]) -> None:
    """Create a seed row unless it exists; another process that created it between the
    look and the insert (a unique-key conflict) has done the work."""
    if exists():
        return
    try:
        create()
    except IntegrityError:
        if not exists():
            raise
