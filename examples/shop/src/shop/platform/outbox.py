"""The outbox relay: publishes committed outbox messages to the bus, in order.

Delivery is at least once: a message is marked sent after the bus accepted it, so a crash
in between publishes it again, and consumers are idempotent. A bus failure stops the batch
and leaves the rest for the next try (order is kept).

A process relays the topics of the services it serves (``services``): topics are named
``<service>`` or ``<service>.<name>``. With several processes on one database, each
publishes its own services' messages, so an in-memory bus never swallows another
process's events.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Collection

from sqlalchemy import ColumnElement, false, func, or_, select, true, update

from shop.platform.database import SessionFactory
from shop.platform.events import MessageBus
from shop.platform.records import OutboxRecord, utcnow

logger = logging.getLogger("shop.outbox")


class OutboxRelay:
    """Moves outbox rows to ``bus``: on demand (``relay_pending``) or in a thread."""

    def __init__(
        self,
        session_factory: SessionFactory,
        bus: MessageBus,
        *,
        interval: float = 0.5,
        services: Collection[str] | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.bus = bus
        self.interval = interval
        self.services = tuple(sorted(services)) if services is not None else None
        self._relaying = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _pending(self, limit: int) -> list[tuple[int, str, str]]:
        query = (
            select(OutboxRecord.id, OutboxRecord.topic, OutboxRecord.body)
            .where(OutboxRecord.sent_at.is_(None), self._owned())
            .order_by(OutboxRecord.id)
            .limit(limit)
        )
        with self.session_factory() as session:
            return [(row.id, row.topic, row.body) for row in session.execute(query)]

    def _owned(self) -> ColumnElement[bool]:
        """Topics of this process's services: ``<service>`` or ``<service>.<anything>``."""
        if self.services is None:
            return true()
        topic = OutboxRecord.topic
        return or_(false(), *(or_(topic == s, topic.startswith(s + ".")) for s in self.services))

    def _mark(self, record_id: int, *, sent: bool) -> None:
        values = {"sent_at": utcnow()} if sent else {"attempts": OutboxRecord.attempts + 1}
        with self.session_factory() as session, session.begin():
            session.execute(update(OutboxRecord).where(OutboxRecord.id == record_id).values(values))

    def relay_pending(self, limit: int = 100) -> int:
        """Publish up to ``limit`` unsent messages in order; the number published."""
        with self._relaying:
            published = 0
            for record_id, topic, body in self._pending(limit):
                try:
                    self.bus.publish(topic, json.loads(body))
                except Exception as exc:
                    logger.warning("outbox: publishing %s failed (%s); will retry", record_id, exc)
                    self._mark(record_id, sent=False)
                    break
                self._mark(record_id, sent=True)
                published += 1
            return published

    def pending_count(self) -> int:
        """How many messages wait to be published."""
        with self.session_factory() as session:
            query = select(func.count()).where(OutboxRecord.sent_at.is_(None), self._owned())
            return int(session.scalar(query.select_from(OutboxRecord)) or 0)

    def wake(self) -> None:
        """Ask the background thread to relay now (called after a commit with events)."""
        self._wake.set()

    def start(self) -> None:
        """Relay in a daemon thread until ``stop()``: on ``wake()`` or every ``interval``."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="shop-outbox", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.interval)
            self._wake.clear()
            if self._stop.is_set():
                break
            try:
                while self.relay_pending() > 0:
                    pass
            except Exception:
                logger.exception("outbox relay round failed")

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the thread (after its current round)."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._stop.set()
        self._wake.set()
        thread.join(timeout)
