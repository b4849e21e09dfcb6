"""The ports of the order saga to the services it coordinates.

Every call is safe to repeat: ``reserve`` and ``allocate`` are keyed by the order (and
SKU), ``charge`` and ``refund`` carry an idempotency key, the undo calls are idempotent.
Adapters translate their transport's failures into two exceptions: ``StepRejected`` (a
business refusal, final: compensate) and ``DownstreamUnavailable`` (transient: the saga
pauses and is resumed later with the same keys).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


class StepRejected(Exception):
    """A downstream service refused the step (out of stock, card declined, …).

    ``reason`` is a stable slug; ``status`` the HTTP status the refusal maps to.
    """

    def __init__(self, reason: str, detail: str, status: int = 409) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail
        self.status = status


class DownstreamUnavailable(Exception):
    """A downstream service could not be reached or failed; the step may be retried."""


class InventoryPort(Protocol):
    def price_of(self, sku: str) -> tuple[int, str]:
        """Unit price in minor units and its currency; ``StepRejected`` (404) if unknown."""
        ...

    def reserve(self, order_id: str, lines: Sequence[tuple[str, int]]) -> str:
        """Reserve stock for every line at once; the reservation id."""
        ...

    def release(self, reservation_id: str) -> None:
        """Give the reserved (or sold) stock back; idempotent."""
        ...

    def confirm(self, reservation_id: str) -> None:
        """Turn the reservation into a sale."""
        ...


class AllocationPort(Protocol):
    def allocate(self, order_id: str, sku: str, qty: int) -> str:
        """Allocate one order line to a batch; the batch reference."""
        ...

    def deallocate(self, order_id: str, sku: str) -> None:
        """Undo the allocation of the line; idempotent."""
        ...


class PaymentsPort(Protocol):
    def charge(
        self,
        order_id: str,
        customer: str,
        amount_minor: int,
        currency: str,
        idempotency_key: str,
        *,
        method: str,
    ) -> str:
        """Authorize and capture; the payment id."""
        ...

    def refund(self, payment_id: str, amount_minor: int, idempotency_key: str) -> None:
        """Refund part of a captured payment; a retry with the same key refunds once."""
        ...


@dataclass(frozen=True)
class Downstream:
    """The three ports the saga talks to."""

    inventory: InventoryPort
    allocation: AllocationPort
    payments: PaymentsPort
