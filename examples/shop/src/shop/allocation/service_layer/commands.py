"""Commands allocation handles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class CreateBatch:
    reference: str
    sku: str
    quantity: int
    eta: date | None = None


@dataclass(frozen=True, slots=True)
class Allocate:
    order_id: str
    sku: str
    quantity: int


@dataclass(frozen=True, slots=True)
class Deallocate:
    order_id: str
    sku: str


@dataclass(frozen=True, slots=True)
class ChangeBatchQuantity:
    """Set a batch's quantity; ``expected_version`` is the version the caller read."""

    reference: str
    quantity: int
    expected_version: int | None = None
