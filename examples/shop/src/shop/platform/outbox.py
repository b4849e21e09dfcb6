"""The outbox relay: publishes committed outbox messages to the bus, in order.

Delivery is at least once: a round publishes a batch in id order, then marks the
published messages sent in one statement, so a crash in between publishes them again,
and consumers are idempotent. A bus failure stops the batch and leaves the rest for the
next try (order is kept). ``wakes_held()`` gathers the wake-ups of many commits in a row
(an order's saga) into one round.

A process relays the topics of the services it serves (``services``): topics are named
``<service>`` or ``<service>.<name>``. With several processes on one database, each
publishes its own services' messages, so an in-memory bus never swallows another
process's events.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, bindparam, false, func, or_, select, true, update

from shop.platform.database import SessionFactory
from shop.platform.events import MessageBus
from shop.platform.records import OutboxRecord, utcnow

logger = logging.getLogger("shop.outbox")

BATCH = 100
"""Messages published per round (one select, one update)."""
OUTBOX = cast(Table, OutboxRecord.__table__)
MARK_SENT = (
    update(OUTBOX)
    .where(OUTBOX.c.id.in_(bindparam("b_ids", expanding=True)))
    .values(sent_at=bindparam("b_sent_at"))
)
MARK_FAILED = (
    update(OUTBOX).where(OUTBOX.c.id == bindparam("b_id")).values(attempts=OUTBOX.c.attempts + 1)
)
_held: ContextVar[set[OutboxRelay] | None] = ContextVar("shop_outbox_held_wakes", default=None)


@contextmanager
def wakes_held() -> Iterator[None]:
    """Within the block, ``wake()`` calls in this context are gathered: each relay woken
    is woken once, when the block ends (however it ends).

    For work that commits many times in a row (an order's saga commits its own and its
    peers' transactions): the relay then publishes the lot in one round, instead of
    competing for the database after every commit. Nothing is delayed past the block.
    """
    if _held.get() is not None:  # already gathered by an outer block
        yield
        return
    woken: set[OutboxRelay] = set()
    token = _held.set(woken)
    try:
        yield
    finally:
        _held.reset(token)
        for relay in woken:
            relay.wake()


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
        self._select_pending: Any = (
            select(OUTBOX.c.id, OUTBOX.c.topic, OUTBOX.c.body)
            .where(OUTBOX.c.sent_at.is_(None), self._owned())
            .order_by(OUTBOX.c.id)
            .limit(bindparam("b_limit"))
        )

    def _pending(self, limit: int) -> list[tuple[int, str, str]]:
        with self.session_factory() as session:
            rows = session.execute(self._select_pending, {"b_limit": limit})
            return [(row.id, row.topic, row.body) for row in rows]

    def _owned(self) -> ColumnElement[bool]:
        """Topics of this process's services: ``<service>`` or ``<service>.<anything>``."""
        if self.services is None:
            return true()
        topic = OutboxRecord.topic
        return or_(false(), *(or_(topic == s, topic.startswith(s + ".")) for s in self.services))

    def _record(self, sent: Sequence[int], failed: int | None) -> None:
        """Mark ``sent`` published and count an attempt on ``failed``: one transaction."""
        if not sent and failed is None:
            return
        with self.session_factory() as session, session.begin():
            if sent:
                session.execute(MARK_SENT, {"b_ids": list(sent), "b_sent_at": utcnow()})
            if failed is not None:
                session.execute(MARK_FAILED, {"b_id": failed})

    def relay_pending(self, limit: int = BATCH) -> int:
        """Publish up to ``limit`` unsent messages in order; the number published.

        The published ones are marked sent together after the batch (a crash before
        that publishes them again: at least once); a bus failure stops the batch there.
        """
        with self._relaying:
            sent: list[int] = []
            failed: int | None = None
            for record_id, topic, body in self._pending(limit):
                try:
                    self.bus.publish(topic, json.loads(body))
                except Exception as exc:
                    logger.warning("outbox: publishing %s failed (%s); will retry", record_id, exc)
                    failed = record_id
                    break
                sent.append(record_id)
            self._record(sent, failed)
            return len(sent)

    def pending_count(self) -> int:
        """How many messages wait to be published."""
        with self.session_factory() as session:
            query = select(func.count()).where(OutboxRecord.sent_at.is_(None), self._owned())
            return int(session.scalar(query.select_from(OutboxRecord)) or 0)

    def wake(self) -> None:
        """Ask the background thread to relay now (called after a commit with events);
        inside ``wakes_held()``, when that block ends."""
        woken = _held.get()
        if woken is not None:
            woken.add(self)
            return
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
                while self.relay_pending(BATCH) == BATCH:  # a full batch: more may wait
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
