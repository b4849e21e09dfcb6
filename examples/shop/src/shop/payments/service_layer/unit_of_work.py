"""The payments unit of work: one transaction over payments, keys and the outbox."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Protocol, Self

from shop.payments.domain.events import PaymentEvent
from shop.payments.domain.payment import Payment, PaymentStatus
from shop.payments.service_layer.idempotency import IdempotencyRepository
from shop.platform.pagination import CursorValue, SortSpec

TOPIC = "payments"
"""The topic every payments event is published on."""


SORT_FIELDS = ("created_at", "amount_minor")
"""What payment lists can be sorted by (``id`` breaks ties)."""
DEFAULT_SORT = SortSpec.parse("-created_at", SORT_FIELDS, "-created_at", "id")


class PaymentChanged(Exception):
    """Another transaction changed the payment first (optimistic lock); nothing written."""


@dataclass(frozen=True)
class PaymentQuery:
    """A page of payments: filters, order and the keyset position after the last seen."""

    limit: int
    customer: str | None = None
    status: PaymentStatus | None = None
    order_id: str | None = None
    sort: SortSpec = DEFAULT_SORT
    after: tuple[CursorValue, ...] | None = None


def sort_values(payment: Payment, sort: SortSpec) -> tuple[CursorValue, ...]:
    """The keyset values of ``payment`` in ``sort`` (for the next page's cursor)."""
    values: dict[str, CursorValue] = {
        "created_at": payment.created_at,
        "amount_minor": payment.amount.amount,
        "id": payment.id,
    }
    return tuple(values[field.name] for field in sort.fields)


class PaymentRepository(Protocol):
    def add(self, payment: Payment) -> None: ...

    def get(self, payment_id: str) -> Payment | None: ...

    def list(self, query: PaymentQuery) -> Sequence[Payment]: ...


class PaymentsUnitOfWork(Protocol):
    """``with uow:`` opens a transaction; leaving without ``commit()`` rolls it back.

    ``commit`` raises ``DuplicateRequest`` when an idempotency key was taken concurrently
    and ``PaymentChanged`` when a payment was changed by another transaction meanwhile.
    """

    @property
    def payments(self) -> PaymentRepository: ...

    @property
    def idempotency(self) -> IdempotencyRepository: ...

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
