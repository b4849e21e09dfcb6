"""Domain events, the message bus port, the in-memory bus and idempotent consumers.

A message on the bus is a JSON object ``{"id", "name", "occurred_at", "payload"}``
(``Event.to_message``). Delivery is at least once: consumers wrap their handler in
``IdempotentConsumer`` so a redelivered message changes nothing.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shop.platform.records import ProcessedMessage

if TYPE_CHECKING:
    from shop.platform.unit_of_work import SqlUnitOfWork

logger = logging.getLogger("shop.events")

Message = dict[str, Any]
Handler = Callable[[Message], None]


def _new_id() -> str:
    return uuid.uuid4().hex


def _now() -> datetime:
    return datetime.now(UTC)


def jsonable(value: Any) -> Any:
    """``value`` with dates, decimals, enums, UUIDs, sets and dataclasses made JSON-ready."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return jsonable(value.value)
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return [jsonable(v) for v in items]
    return value


@dataclasses.dataclass(frozen=True, kw_only=True)
class Event:
    """Base of domain events: subclass as a frozen dataclass and add the payload fields."""

    event_id: str = dataclasses.field(default_factory=_new_id)
    occurred_at: datetime = dataclasses.field(default_factory=_now)

    @property
    def name(self) -> str:
        """The event's name on the wire: its class name (``Allocated``)."""
        return type(self).__name__

    def payload(self) -> dict[str, Any]:
        """The subclass fields, JSON-ready."""
        skip = {"event_id", "occurred_at"}
        return {
            f.name: jsonable(getattr(self, f.name))
            for f in dataclasses.fields(self)
            if f.name not in skip
        }

    def to_message(self) -> Message:
        """The bus message of this event."""
        return {
            "id": self.event_id,
            "name": self.name,
            "occurred_at": self.occurred_at.isoformat(),
            "payload": self.payload(),
        }


class BusUnavailable(ConnectionError):
    """The bus cannot take a message now; the outbox keeps it for the next try."""


class DeliveryError(RuntimeError):
    """At least one subscriber failed on a message; it will be delivered again."""


class MessageBus(Protocol):
    """Where events go after their transaction committed (through the outbox)."""

    def publish(self, topic: str, message: Message) -> None:
        """Deliver ``message`` on ``topic`` or raise (the outbox then retries)."""

    def subscribe(self, topic: str, handler: Handler) -> None:
        """Call ``handler`` for every message on ``topic`` (at least once)."""

    def ping(self) -> bool:
        """True when the bus can take messages."""


class InMemoryBus:
    """A synchronous bus for one process: ``publish`` calls every handler of the topic.

    A failing handler makes ``publish`` raise ``DeliveryError`` after the other handlers
    ran, so the outbox delivers the message again (idempotent consumers make that safe).
    ``available = False`` simulates an outage. ``published`` records every message.
    """

    def __init__(self) -> None:
        self._handlers: dict[str, list[Handler]] = defaultdict(list)
        self._lock = threading.Lock()
        self.available = True
        self.published: list[tuple[str, Message]] = []

    def publish(self, topic: str, message: Message) -> None:
        if not self.available:
            raise BusUnavailable("the in-memory bus is switched off")
        with self._lock:
            self.published.append((topic, message))
            handlers = list(self._handlers.get(topic, ()))
        failures = 0
        for handler in handlers:
            try:
                handler(message)
            except Exception:
                failures += 1
                logger.exception("handler %r failed on %s %s", handler, topic, message.get("id"))
        if failures:
            raise DeliveryError(f"{failures} handler(s) failed on {topic} {message.get('id')}")

    def subscribe(self, topic: str, handler: Handler) -> None:
        with self._lock:
            self._handlers[topic].append(handler)

    def ping(self) -> bool:
        return self.available

    def close(self) -> None:
        """Nothing to release; present so every bus can be closed alike."""


def claim_message(session: Session, consumer: str, message_id: str) -> bool:
    """Record that ``consumer`` handles ``message_id`` in ``session``'s transaction.

    Call it first in the transaction. False when the message was handled before (or is
    being handled concurrently by another instance; the session is then rolled back).
    """
    if session.get(ProcessedMessage, (consumer, message_id)) is not None:
        return False
    session.add(ProcessedMessage(consumer=consumer, message_id=message_id))
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        return False
    return True


UoW = TypeVar("UoW", bound="SqlUnitOfWork")


class IdempotentConsumer(Generic[UoW]):
    """A bus handler that runs ``handler(message, uow)`` at most once per message id.

    The id is recorded in ``processed_messages`` in the handler's own transaction, so the
    effect and the record commit together; a handler that raises leaves no record and the
    message is handled again on redelivery.
    """

    def __init__(
        self,
        uow_factory: Callable[[], UoW],
        consumer: str,
        handler: Callable[[Message, UoW], None],
    ) -> None:
        self.uow_factory = uow_factory
        self.consumer = consumer
        self.handler = handler

    def __call__(self, message: Message) -> None:
        message_id = str(message["id"])
        with self.uow_factory() as uow:
            if not claim_message(uow.session, self.consumer, message_id):
                logger.info("%s skips already processed message %s", self.consumer, message_id)
                return
            self.handler(message, uow)
            uow.commit()
