"""Reservations: stock held for an order until confirmed, released or expired."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from shop.inventory.domain.stock import Allotment


class ReservationStatus(StrEnum):
    """Where a reservation is in its life; ``expired`` is derived from the clock."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    RELEASED = "released"
    EXPIRED = "expired"


class ReservationClosed(Exception):
    """The reservation can no longer be confirmed (released or expired)."""

    def __init__(self, status: ReservationStatus) -> None:
        super().__init__(f"the reservation is {status.value}")
        self.status = status


def merge_lines(lines: Iterable[tuple[str, int]]) -> dict[str, int]:
    """Requested quantities per SKU, duplicates summed, in first-seen order."""
    merged: dict[str, int] = {}
    for sku, quantity in lines:
        merged[sku] = merged.get(sku, 0) + quantity
    return merged


@dataclass(frozen=True, slots=True)
class Reservation:
    """Units held for ``order_id`` across warehouses until ``expires_at``."""

    id: str
    order_id: str
    allotments: tuple[Allotment, ...]
    created_at: datetime
    expires_at: datetime
    stored_status: ReservationStatus = ReservationStatus.PENDING
    idempotency_key: str | None = None

    def status_at(self, now: datetime) -> ReservationStatus:
        """The status at ``now``: a pending reservation past its expiry is expired."""
        if self.stored_status is ReservationStatus.PENDING and now >= self.expires_at:
            return ReservationStatus.EXPIRED
        return self.stored_status

    def holds_stock_at(self, now: datetime) -> bool:
        """True while the reservation keeps its units from other orders."""
        return self.status_at(now) is ReservationStatus.PENDING

    def quantities(self) -> dict[str, int]:
        """Reserved units per SKU."""
        return merge_lines((a.sku, a.quantity) for a in self.allotments)

    def matches(self, lines: Sequence[tuple[str, int]]) -> bool:
        """True when ``lines`` ask for exactly what this reservation holds."""
        return self.quantities() == merge_lines(lines)

    def released(self, now: datetime) -> Reservation:
        """The reservation after a release; releasing twice (or after expiry) changes
        nothing. A confirmed reservation cannot be released: its stock has shipped."""
        status = self.status_at(now)
        if status is ReservationStatus.CONFIRMED:
            raise ReservationClosed(status)
        if status is not ReservationStatus.PENDING:
            return self
        return replace(self, stored_status=ReservationStatus.RELEASED)

    def confirmed(self, now: datetime) -> Reservation:
        """The reservation after confirmation (idempotent); expired or released ones
        cannot be confirmed."""
        status = self.status_at(now)
        if status in (ReservationStatus.PENDING, ReservationStatus.CONFIRMED):
            return replace(self, stored_status=ReservationStatus.CONFIRMED)
        raise ReservationClosed(status)
