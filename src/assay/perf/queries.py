"""Database statements counted while a block runs, attributed to the work that ran them.

``with count_queries() as q: ...`` listens to SQLAlchemy's ``before_cursor_execute`` on
the `Engine` class, so it sees every engine the application made, synchronous or async
(``create_async_engine`` runs a synchronous engine underneath), without the application's
cooperation. A statement counts when it runs in the block's context: the block itself,
the tasks it starts and what those hand to a thread pool. anyio (and so Starlette and
FastAPI) copies the context into its worker threads, and SQLAlchemy's async engines into
their greenlets, so a request to an in-process app sent from the block is counted,
endpoints in the thread pool included; a thread started elsewhere (an outbox relay, a
scheduler) is not, however busy it is meanwhile.

``count_queries(everywhere=True)`` counts every statement of the process while the block
runs, for work the context does not reach: an app served from another thread, a client
driven from inside an async test (its in-process app then runs on a worker thread).

Blocks nest: a statement counts in every open block it runs in. Once SQLAlchemy is
first listened to, the listener stays (one context-variable read per statement).
Without SQLAlchemy, `count_queries` raises `AssayError`; `counting_available` says so
beforehand.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from assay.errors import AssayError

__all__ = ["QueryCount", "count_queries", "counting_available"]

_SHOWN = 80
"""Characters of a statement shown in a `QueryCount`'s repr."""


class QueryCount:
    """The statements one `count_queries` block counted, in the order they ran.

    ``count`` is how many; ``statements`` their SQL text (parameters are not kept);
    `repeated` the ones that ran more than once: the usual sign of an N+1 loop.
    """

    def __init__(self, *, everywhere: bool = False) -> None:
        self.everywhere = everywhere
        self.statements: list[str] = []
        self._open = True

    @property
    def count(self) -> int:
        return len(self.statements)

    def repeated(self) -> list[tuple[str, int]]:
        """Statements that ran more than once and how often, the most frequent first."""
        return [(sql, n) for sql, n in Counter(self.statements).most_common() if n > 1]

    def add(self, statement: str) -> None:
        """Count `statement` (ignored once the block has ended)."""
        if self._open:
            self.statements.append(statement)

    def close(self) -> None:
        """Stop counting: statements of work that outlived the block are not counted."""
        self._open = False

    def __repr__(self) -> str:
        text = f"<QueryCount {self.count} statement{'' if self.count == 1 else 's'}"
        repeated = self.repeated()
        if repeated:
            sql, times = repeated[0]
            shown = " ".join(sql.split())
            shown = shown if len(shown) <= _SHOWN else shown[: _SHOWN - 1] + "…"
            text += f", {shown!r} ran {times} times"
        return text + ">"


_ACTIVE: ContextVar[tuple[QueryCount, ...]] = ContextVar("assay_query_counts", default=())


class _Listener:
    """The one SQLAlchemy listener of the process and the blocks counting everywhere."""

    def __init__(self) -> None:
        self.installed = False
        self.everywhere: tuple[QueryCount, ...] = ()
        self.lock = threading.Lock()

    def install(self) -> None:
        if self.installed:
            return
        engine, listen = _sqlalchemy()
        with self.lock:
            if not self.installed:
                listen(engine, "before_cursor_execute", _on_execute)
                self.installed = True

    def join(self, counter: QueryCount) -> None:
        with self.lock:
            self.everywhere = (*self.everywhere, counter)

    def leave(self, counter: QueryCount) -> None:
        with self.lock:
            self.everywhere = tuple(c for c in self.everywhere if c is not counter)


_LISTENER = _Listener()


def _on_execute(
    _conn: Any, _cursor: Any, statement: str, _parameters: Any, _context: Any, _many: bool
) -> None:
    """SQLAlchemy's ``before_cursor_execute``: count `statement` where it belongs."""
    active = _ACTIVE.get()
    for counter in active:
        counter.add(statement)
    for counter in _LISTENER.everywhere:
        if counter not in active:
            counter.add(statement)


def _sqlalchemy() -> tuple[type, Any]:
    try:
        from sqlalchemy import event
        from sqlalchemy.engine import Engine
    except ImportError:
        raise AssayError(
            "counting database statements needs SQLAlchemy, which is not installed",
            hint="Install it with assay's db extra: pip install 'assay[db]'.",
        ) from None
    return Engine, event.listen


def counting_available() -> bool:
    """Whether statements can be counted (SQLAlchemy is installed)."""
    if _LISTENER.installed:
        return True
    try:
        _sqlalchemy()
    except AssayError:
        return False
    return True


@contextmanager
def count_queries(*, everywhere: bool = False) -> Iterator[QueryCount]:
    """Count the database statements run inside the block: ``q.count``, ``q.statements``.

    ``with assay.count_queries() as q: api.get("/orders")`` then ``assert q.count <= 3``.
    Statements count when they run in this block's context (see the module docs);
    ``everywhere=True`` counts those of every thread of the process instead.
    """
    _LISTENER.install()
    counter = QueryCount(everywhere=everywhere)
    if everywhere:
        _LISTENER.join(counter)
        try:
            yield counter
        finally:
            counter.close()
            _LISTENER.leave(counter)
        return
    token = _ACTIVE.set((*_ACTIVE.get(), counter))
    try:
        yield counter
    finally:
        counter.close()
        try:
            _ACTIVE.reset(token)
        except ValueError:  # left in another context than entered (a generator's frame)
            _ACTIVE.set(tuple(c for c in _ACTIVE.get() if c is not counter))
