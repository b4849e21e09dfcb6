"""The unit of work: one database transaction, and the events it emits, committed together.

Use it as a context manager; subclass it to add repositories on ``self.session``::

    with SqlUnitOfWork(session_factory) as uow:
        uow.session.add(batch)
        uow.emit("allocation.events", Allocated(...))
        uow.commit()          # rows and outbox messages in one transaction

Leaving the block without ``commit()`` rolls everything back, events included; objects
loaded in the block stay readable afterwards (detached, not expired).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from types import TracebackType
from typing import Self, cast

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from shop.platform.database import SessionFactory
from shop.platform.events import Event
from shop.platform.records import OutboxRecord

INSERT_OUTBOX = insert(cast(Table, OutboxRecord.__table__))
"""Built once; a commit's messages go in as one multi-row statement (no ORM flush)."""


class SqlUnitOfWork:
    """A transaction over ``session_factory`` with a transactional outbox.

    ``on_commit`` (the app wires the outbox relay's ``wake``) runs after each commit that
    wrote messages, so they are published promptly instead of on the next poll.
    """

    def __init__(
        self, session_factory: SessionFactory, *, on_commit: Callable[[], None] | None = None
    ) -> None:
        self.session_factory = session_factory
        self.on_commit = on_commit
        self._session: Session | None = None
        self._pending: list[tuple[str, Event]] = []
        self.committed_events: list[tuple[str, Event]] = []

    @property
    def session(self) -> Session:
        """The open session (only inside the ``with`` block)."""
        if self._session is None:
            raise RuntimeError("the unit of work is not open: use it in a `with` block")
        return self._session

    def __enter__(self) -> Self:
        self._session = self.session_factory()
        self._pending = []
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        # close() rolls back whatever was not committed and detaches the objects
        # without expiring them, so results stay readable after the block.
        self._pending = []
        self.session.close()
        self._session = None

    def emit(self, topic: str, event: Event) -> None:
        """Queue ``event`` for ``topic``; it is written to the outbox by ``commit()``."""
        self._pending.append((topic, event))

    def commit(self) -> None:
        """Commit the session's changes and the emitted events in one transaction."""
        pending, self._pending = self._pending, []
        if pending:
            rows = [
                {
                    "message_id": event.event_id,
                    "topic": topic,
                    "body": json.dumps(event.to_message(), separators=(",", ":")),
                }
                for topic, event in pending
            ]
            self.session.execute(INSERT_OUTBOX, rows)
        self.session.commit()
        self.committed_events.extend(pending)
        if pending and self.on_commit is not None:
            self.on_commit()

    def rollback(self) -> None:
        """Discard uncommitted changes and events."""
        self._pending = []
        self.session.rollback()
