"""Domain events of the inventory, published through the outbox."""

from __future__ import annotations

from dataclasses import dataclass

from shop.platform.events import Event


@dataclass(frozen=True)
class StockReserved(Event):
    """Units were held for an order."""

    reservation_id: str
    order_id: str
    lines: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class ReservationReleased(Event):
    """A reservation gave its units back."""

    reservation_id: str
    order_id: str


@dataclass(frozen=True)
class ReservationConfirmed(Event):
    """A reservation's units left the stock for its order."""

    reservation_id: str
    order_id: str


TOPICS: dict[type, str] = {
    StockReserved: "inventory.stock_reserved",
    ReservationReleased: "inventory.reservation_released",
    ReservationConfirmed: "inventory.reservation_confirmed",
}
"""The outbox topic of each event."""
