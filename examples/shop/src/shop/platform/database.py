"""SQLAlchemy plumbing: the declarative base all service tables share, engines, sessions.

Every shop table lives on ``Base.metadata`` (identity's on ``identity_metadata``), so one
``create_all`` or one Alembic revision covers a service set. Nothing connects at import.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Engine, MetaData, create_engine, event, text
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry, StaticPool

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


class _SharedMemoryPool(StaticPool):
    """The one connection of an in-memory SQLite database, lent to one thread at a time.

    Requests run in a thread pool: a plain ``StaticPool`` would interleave transactions of
    two threads on the single connection. The lock is re-entrant, so a thread that already
    holds the connection (an in-process call between services) borrows it again.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._borrow = threading.RLock()

    def _do_get(self) -> Any:
        self._borrow.acquire()
        try:
            return super()._do_get()
        except BaseException:
            self._borrow.release()
            raise

    def _do_return_conn(self, record: Any) -> None:
        super()._do_return_conn(record)
        self._borrow.release()


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


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for ``url``: SQLite (memory or file) or PostgreSQL (``postgresql+psycopg``).

    SQLite gets foreign keys on and ``check_same_thread=False``; files run in WAL mode;
    in-memory databases share one connection (``StaticPool``) so every session sees the
    same data. ``postgresql://`` URLs are given the psycopg 3 driver.
    """
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, echo=echo)
    memory = is_memory_sqlite(url)
    engine = create_engine(
        url,
        echo=echo,
        connect_args={"check_same_thread": False},
        **({"poolclass": _SharedMemoryPool} if memory else {}),
    )
    event.listen(engine, "connect", _sqlite_pragmas(wal=not memory))
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
