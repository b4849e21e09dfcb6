"""The payments unit of work: one transaction over payments, keys and the outbox."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self

from shop.payments.domain.events import PaymentEvent
from shop.payments.domain.payment import Payment, PaymentStatus
from shop.payments.service_layer.idempotency import IdempotencyRepository

TOPIC = "payments"
"""The topic every payments event is published on."""


@dataclass(frozen=True)
class PaymentQuery:
    """A page of payments: filters, sort direction and a keyset position."""

    limit: int
    customer: str | None = None
    status: PaymentStatus | None = None
    order_id: str | None = None
    descending: bool = True
    after: tuple[datetime, str] | None = None


class PaymentRepository(Protocol):
    def add(self, payment: Payment) -> None: ...

    def get(self, payment_id: str) -> Payment | None: ...

    def list(self, query: PaymentQuery) -> Sequence[Payment]: ...


class PaymentsUnitOfWork(Protocol):
    """``with uow:`` opens a transaction; leaving without ``commit()`` rolls it back.

    ``commit`` raises ``DuplicateRequest`` when an idempotency key was taken concurrently.
    """

    payments: PaymentRepository
    idempotency: IdempotencyRepository

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def emit(self, topic: str, event: PaymentEvent) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


def collect_events(uow: PaymentsUnitOfWork, payment: Payment) -> None:
    """Move ``payment``'s new events into the outbox of ``uow``'s transaction."""
    for event in payment.events:
        uow.emit(TOPIC, event)
    payment.events.clear()
