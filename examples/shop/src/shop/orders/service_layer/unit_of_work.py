"""The orders unit of work: one transaction over orders, placement keys and the outbox."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self

from shop.orders.domain.events import OrderEvent
from shop.orders.domain.order import Order, OrderStatus
from shop.orders.service_layer.idempotency import PlacementRepository
from shop.platform.pagination import CursorValue, SortSpec

TOPIC = "orders"
"""The topic every orders event is published on."""


class OrderChanged(Exception):
    """Another transaction changed the order first (optimistic lock); nothing was written."""


SORT_FIELDS = ("created_at", "total_minor")
"""What order lists can be sorted by (``id`` breaks ties)."""
DEFAULT_SORT = SortSpec.parse("-created_at", SORT_FIELDS, "-created_at", "id")


@dataclass(frozen=True)
class OrderQuery:
    """A page of orders: filters, order and the keyset position after the last seen."""

    limit: int
    customer: str | None = None
    status: OrderStatus | None = None
    sort: SortSpec = DEFAULT_SORT
    after: tuple[CursorValue, ...] | None = None


def sort_values(order: Order, sort: SortSpec) -> tuple[CursorValue, ...]:
    """The keyset values of ``order`` in ``sort`` (for the next page's cursor)."""
    values: dict[str, CursorValue] = {
        "created_at": order.created_at,
        "total_minor": order.total_minor,
        "id": order.id,
    }
    return tuple(values[field.name] for field in sort.fields)


class OrderRepository(Protocol):
    def add(self, order: Order) -> None: ...

    def get(self, order_id: str) -> Order | None: ...

    def list(self, query: OrderQuery) -> Sequence[Order]: ...

    def unfinished(self, updated_before: datetime, limit: int) -> Sequence[str]:
        """Ids of pending or compensating orders last touched before ``updated_before``."""
        ...


class OrdersUnitOfWork(Protocol):
    """``with uow:`` opens a transaction; leaving without ``commit()`` rolls it back.

    ``commit`` raises ``DuplicateRequest`` when a placement key was taken concurrently and
    ``OrderChanged`` when an order was updated by another transaction since it was read.
    """

    @property
    def orders(self) -> OrderRepository: ...

    @property
    def placements(self) -> PlacementRepository: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def emit(self, topic: str, event: OrderEvent) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


def collect_events(uow: OrdersUnitOfWork, order: Order) -> None:
    """Move ``order``'s new events into the outbox of ``uow``'s transaction."""
    for event in order.events:
        uow.emit(TOPIC, event)
    order.events.clear()
