"""SQLAlchemy plumbing: the declarative base all service tables share, engines, sessions.

Every shop table lives on ``Base.metadata`` (identity's on ``identity_metadata``), so one
``create_all`` or one Alembic revision covers a service set. Nothing connects at import.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import weakref
from typing import Any

from sqlalchemy import Engine, MetaData, create_engine, event, text
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Deterministic constraint names, so migrations can alter and drop them by name."""

SessionFactory = sessionmaker[Session]


class Base(DeclarativeBase):
    """Declarative base of every shop service table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def is_memory_sqlite(url: str) -> bool:
    """True for ``sqlite://`` and ``sqlite:///:memory:`` style URLs."""
    if not url.startswith("sqlite"):
        return False
    return ":memory:" in url or url.split("?", maxsplit=1)[0].rstrip("/").endswith(":")


def _sqlite_pragmas(wal: bool) -> Any:
    def on_connect(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        if wal:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return on_connect


def _scratch_database() -> tuple[str, str]:
    """A private, empty SQLite file (in shared memory where available) and its folder."""
    base = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    folder = tempfile.mkdtemp(prefix="shop-db-", dir=base)
    return f"sqlite:///{os.path.join(folder, 'shop.db')}", folder


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for ``url``: SQLite or PostgreSQL (``postgresql+psycopg``).

    SQLite runs with foreign keys on, WAL and a busy timeout, ``check_same_thread=False``.
    An in-memory URL (``sqlite://``) gets a private scratch database file instead, removed
    with the engine: one shared in-memory connection cannot give concurrent requests (or
    a service calling another in-process) transactions of their own.
    ``postgresql://`` URLs are given the psycopg 3 driver.
    """
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, echo=echo)
    scratch = None
    if is_memory_sqlite(url):
        url, scratch = _scratch_database()
    engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _sqlite_pragmas(wal=True))
    if scratch is not None:
        weakref.finalize(engine, shutil.rmtree, scratch, ignore_errors=True)
    return engine


def make_session_factory(engine: Engine) -> SessionFactory:
    """Sessions on ``engine``; objects stay readable after commit (``expire_on_commit=False``)."""
    return sessionmaker(engine, expire_on_commit=False)


def ping(engine: Engine) -> bool:
    """True when the database answers ``SELECT 1``."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:
        return False
    return True
