"""The identity tables (all named ``identity_*``), on their own ``MetaData``.

The app creates them with ``identity_metadata.create_all(engine)`` (the router does it at
start when ``IdentitySettings.create_tables``) or includes ``identity_metadata`` in its
Alembic ``target_metadata``. Times are stored as timezone-aware timestamps and handled as
epoch seconds in Python, so the clock stays injectable.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Boolean, DateTime, Dialect, ForeignKey, MetaData, String, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

_NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class EpochTime(TypeDecorator[float]):
    """Epoch seconds in Python, ``TIMESTAMP WITH TIME ZONE`` in the database."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: float | None, dialect: Dialect) -> datetime | None:
        return None if value is None else datetime.fromtimestamp(value, tz=UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> float | None:
        if value is None:
            return None
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.timestamp()


class IdentityBase(DeclarativeBase):
    """Declarative base of the identity tables."""

    metadata = MetaData(naming_convention=_NAMING)


identity_metadata = IdentityBase.metadata


class UserRow(IdentityBase):
    __tablename__ = "identity_users"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    roles: Mapped[str] = mapped_column(String(200))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[float] = mapped_column(EpochTime)


class ClientRow(IdentityBase):
    __tablename__ = "identity_clients"

    client_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    secret_hash: Mapped[str] = mapped_column(String(200))
    scopes: Mapped[str] = mapped_column(String(1000))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[float] = mapped_column(EpochTime)


class ApiKeyRow(IdentityBase):
    __tablename__ = "identity_api_keys"

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    prefix: Mapped[str] = mapped_column(String(12), index=True)
    service: Mapped[str] = mapped_column(String(100))
    scopes: Mapped[str] = mapped_column(String(1000))
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[float] = mapped_column(EpochTime)


class RefreshFamilyRow(IdentityBase):
    """One login: every refresh token rotated from it shares the family."""

    __tablename__ = "identity_refresh_families"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("identity_users.id", ondelete="CASCADE"))
    client_id: Mapped[str | None] = mapped_column(String(100))
    scope: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[float] = mapped_column(EpochTime)
    expires_at: Mapped[float] = mapped_column(EpochTime)
    revoked_at: Mapped[float | None] = mapped_column(EpochTime)


class RefreshTokenRow(IdentityBase):
    __tablename__ = "identity_refresh_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    family_id: Mapped[str] = mapped_column(
        ForeignKey("identity_refresh_families.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[float] = mapped_column(EpochTime)
    used_at: Mapped[float | None] = mapped_column(EpochTime)


class RevokedTokenRow(IdentityBase):
    """A revoked access token, kept until it would have expired anyway."""

    __tablename__ = "identity_revoked_tokens"

    jti: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[float] = mapped_column(EpochTime, index=True)


class ConsoleSessionRow(IdentityBase):
    __tablename__ = "identity_console_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(
        ForeignKey("identity_users.id", ondelete="CASCADE"), index=True
    )
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[float] = mapped_column(EpochTime)
    last_seen_at: Mapped[float] = mapped_column(EpochTime)
