"""Per-test transaction rollback for SQLAlchemy's asyncio sessions.

    async with async_rollback_isolation(engine) as db:
        app.dependency_overrides[get_session] = db.dependency   # or db.bind(SessionLocal)
        ...

The same technique as `assay.data.databases.rollback`, on an ``AsyncEngine``
(``postgresql+psycopg`` or ``sqlite+aiosqlite``). Use it inside the event loop the app
runs on (an async test driving the app with an ASGI transport).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from assay.data.databases.transactions import (
    JOIN_MODE,
    DependencyOverrides,
    FactoryBinding,
    begin_outer,
)

__all__ = ["AsyncTransactionIsolation", "async_rollback_isolation"]


class AsyncTransactionIsolation:
    """One test's database, asyncio flavour: `sessions` is an ``async_sessionmaker``."""

    def __init__(self, connection: AsyncConnection, **session_options: Any) -> None:
        self.connection = connection
        self.sessions: async_sessionmaker[AsyncSession] = async_sessionmaker(
            bind=connection, join_transaction_mode=JOIN_MODE, **session_options
        )
        self._factories = FactoryBinding(connection)
        self._opened: list[AsyncSession] = []
        self._overrides = DependencyOverrides()

    def session(self) -> AsyncSession:
        """A new session inside the test's transaction (closed when the test ends)."""
        session = self.sessions()
        self._opened.append(session)
        return session

    def bind(self, factory: async_sessionmaker[AsyncSession]) -> None:
        """Bind the app's own ``async_sessionmaker`` to the test's transaction."""
        self._factories.bind(factory)

    async def dependency(self) -> AsyncIterator[AsyncSession]:
        """A FastAPI dependency yielding a session inside the test's transaction."""
        async with self.sessions() as session:
            yield session

    def override(self, app: Any, dependency: Any) -> None:
        """``app.dependency_overrides[dependency]`` → `dependency` until the end."""
        self._overrides.install(app, dependency, self.dependency)

    async def close(self) -> None:
        """Close opened sessions, undo overrides and factory bindings."""
        for session in self._opened:
            await session.close()
        self._opened.clear()
        self._overrides.restore()
        self._factories.restore()


@asynccontextmanager
async def async_rollback_isolation(
    engine: AsyncEngine,
    *,
    factories: Iterable[async_sessionmaker[AsyncSession]] = (),
    **session_options: Any,
) -> AsyncIterator[AsyncTransactionIsolation]:
    """An `AsyncTransactionIsolation` on ``engine``; everything is rolled back on exit."""
    async with engine.connect() as connection:
        outer = await connection.begin()
        undo = await connection.run_sync(_begin_outer)
        isolation = AsyncTransactionIsolation(connection, **session_options)
        try:
            for factory in factories:
                isolation.bind(factory)
            yield isolation
        finally:
            await isolation.close()
            if outer.is_active:
                await outer.rollback()
            await connection.run_sync(lambda _: undo())


def _begin_outer(connection: Connection) -> Any:
    return begin_outer(connection)
