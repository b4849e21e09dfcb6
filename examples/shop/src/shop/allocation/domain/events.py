"""Domain events of allocation, published through the outbox.

``OutOfStock`` here is the event; ``shop.allocation.domain.OutOfStock`` is the 409
problem the facade raises.
"""

from __future__ import annotations

from dataclasses import dataclass

from shop.platform.events import Event


@dataclass(frozen=True)
class Allocated(Event):
    """An order line now draws on a batch."""

    order_id: str
    sku: str
    quantity: int
    batch_reference: str


@dataclass(frozen=True)
class Deallocated(Event):
    """An order line no longer draws on any batch."""

    order_id: str
    sku: str
    quantity: int


@dataclass(frozen=True)
class OutOfStock(Event):
    """No batch could take an order line."""

    sku: str
    order_id: str
    quantity: int


TOPIC = "allocation.events"
"""The outbox topic of every allocation event (consumers switch on the event name)."""
