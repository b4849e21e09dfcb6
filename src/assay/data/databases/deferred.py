"""Async rollback isolation for an app that runs on an event loop of its own.

A sync test drives an async app in-process through `APITestClient`, whose runner owns
the app's event loop, and asyncio connections belong to the loop that opened them. So
`DeferredAsyncIsolation` opens the test's connection and outer transaction the first
time the app asks for a session — on the app's loop — and rolls back on that same loop
when the test ends.

    isolation = DeferredAsyncIsolation(async_engine)
    isolation.override(app, get_session)      # the app's async session dependency
    ...                                       # requests through the in-process client
    isolation.close()                         # rolled back on the app's loop
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from assay.data.databases.asynchronous import (
    AsyncTransactionIsolation,
    async_rollback_isolation,
)
from assay.data.databases.transactions import DependencyOverrides
from assay.errors import AssayError

__all__ = ["DeferredAsyncIsolation"]

_CLOSE_TIMEOUT = 30.0


class DeferredAsyncIsolation:
    """Async sessions in one outer transaction, opened on the loop that first needs them."""

    def __init__(self, engine: AsyncEngine, **session_options: Any) -> None:
        self.engine = engine
        self._options = session_options
        self._context: AbstractAsyncContextManager[AsyncTransactionIsolation] | None = None
        self._isolation: AsyncTransactionIsolation | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._overrides = DependencyOverrides()

    async def isolation(self) -> AsyncTransactionIsolation:
        """The test's transaction, begun on the running loop the first time."""
        loop = asyncio.get_running_loop()
        if self._isolation is None:
            self._context = async_rollback_isolation(self.engine, **self._options)
            self._isolation = await self._context.__aenter__()
            self._loop = loop
        elif loop is not self._loop:
            raise AssayError(
                "the test's database transaction was begun on another event loop",
                hint="Use one isolation per app: the app's requests must share a loop.",
            )
        return self._isolation

    async def dependency(self) -> AsyncIterator[AsyncSession]:
        """A FastAPI dependency yielding a session inside the test's transaction."""
        isolation = await self.isolation()
        async with isolation.sessions() as session:
            yield session

    def override(self, app: Any, dependency: Any) -> None:
        """``app.dependency_overrides[dependency]`` → `dependency` until `close`."""
        self._overrides.install(app, dependency, self.dependency)

    def close(self) -> None:
        """Undo the overrides; roll back on the loop the transaction was begun on."""
        self._overrides.restore()
        context, loop = self._context, self._loop
        self._context = self._isolation = self._loop = None
        if context is None or loop is None:
            return
        ending = context.__aexit__(None, None, None)
        if loop.is_closed():  # the app is gone; the server drops its connection
            ending.close()
        elif loop.is_running():
            asyncio.run_coroutine_threadsafe(ending, loop).result(_CLOSE_TIMEOUT)
        else:
            loop.run_until_complete(ending)
