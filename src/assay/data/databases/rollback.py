"""Per-test transaction rollback for SQLAlchemy (sync sessions).

    with rollback_isolation(engine) as db:
        app.dependency_overrides[get_session] = db.dependency   # or db.bind(SessionLocal)
        ...   # the code under test commits as it likes
    # everything is rolled back here

One connection opens an outer transaction; sessions are bound to it with
``join_transaction_mode="create_savepoint"``, so a ``commit()`` in the code under test
releases a SAVEPOINT and the final rollback undoes it all. Works on SQLite (see
`assay.data.databases.transactions`) and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from assay.data.databases.transactions import (
    JOIN_MODE,
    DependencyOverrides,
    FactoryBinding,
    begin_outer,
)

__all__ = ["TransactionIsolation", "rollback_isolation"]


class TransactionIsolation:
    """One test's database: a connection in an outer transaction, sessions inside it.

    ``sessions`` is a ``sessionmaker`` bound to the connection; `session()` opens one
    (closed at the end); `bind()` points the application's own factory here;
    `dependency` replaces a FastAPI session dependency; `override()` installs it.
    """

    def __init__(self, connection: Connection, **session_options: Any) -> None:
        self.connection = connection
        self.sessions: sessionmaker[Session] = sessionmaker(
            bind=connection, join_transaction_mode=JOIN_MODE, **session_options
        )
        self._factories = FactoryBinding(connection)
        self._opened: list[Session] = []
        self._overrides = DependencyOverrides()

    def session(self) -> Session:
        """A new session inside the test's transaction (closed when the test ends)."""
        session = self.sessions()
        self._opened.append(session)
        return session

    def bind(self, factory: sessionmaker[Session]) -> None:
        """Bind the app's own ``sessionmaker`` to the test's transaction until the end."""
        self._factories.bind(factory)

    def dependency(self) -> Iterator[Session]:
        """A FastAPI dependency yielding a session inside the test's transaction."""
        with self.sessions() as session:
            yield session

    def override(self, app: Any, dependency: Any) -> None:
        """``app.dependency_overrides[dependency]`` → `dependency` until the test ends."""
        self._overrides.install(app, dependency, self.dependency)

    def close(self) -> None:
        """Close opened sessions, undo overrides and factory bindings."""
        for session in self._opened:
            session.close()
        self._opened.clear()
        self._overrides.restore()
        self._factories.restore()


@contextmanager
def rollback_isolation(
    engine: Engine, *, factories: Iterable[sessionmaker[Session]] = (), **session_options: Any
) -> Iterator[TransactionIsolation]:
    """A `TransactionIsolation` on ``engine``; everything is rolled back on exit.

    ``factories`` are the application's session factories to bind for the duration;
    ``session_options`` go to the test's ``sessionmaker`` (``expire_on_commit=False``…).
    """
    with engine.connect() as connection:
        outer = connection.begin()
        undo = begin_outer(connection)
        isolation = TransactionIsolation(connection, **session_options)
        try:
            for factory in factories:
                isolation.bind(factory)
            yield isolation
        finally:
            isolation.close()
            if outer.is_active:
                outer.rollback()
            undo()
