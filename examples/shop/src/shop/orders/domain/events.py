"""Domain events of the orders service."""

from __future__ import annotations

from dataclasses import dataclass

from shop.platform.events import Event


@dataclass(frozen=True, kw_only=True)
class OrderPlaced(Event):
    order_id: str
    customer: str
    total_minor: int
    currency: str
    lines: tuple[tuple[str, int], ...]


@dataclass(frozen=True, kw_only=True)
class OrderConfirmed(Event):
    order_id: str
    customer: str
    payment_id: str | None


@dataclass(frozen=True, kw_only=True)
class OrderFailed(Event):
    order_id: str
    customer: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class OrderCancelled(Event):
    order_id: str
    customer: str


OrderEvent = OrderPlaced | OrderConfirmed | OrderFailed | OrderCancelled
"""Every event an order records."""
