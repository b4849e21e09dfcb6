"""Commands the inventory handles: plain values built by entrypoints or the facade."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from shop.inventory.domain.money import Money


@dataclass(frozen=True, slots=True)
class CreateProduct:
    sku: str
    name: str
    price: Money
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ReviseProduct:
    """Change a product read at ``expected_version``; ``None`` fields stay as they are."""

    sku: str
    expected_version: int
    name: str | None = None
    price: Money | None = None
    attributes: dict[str, str] | None = None


@dataclass(frozen=True, slots=True)
class SetStock:
    sku: str
    warehouse: str
    on_hand: int


@dataclass(frozen=True, slots=True)
class ImportStock:
    """Absolute ``(sku, warehouse, on_hand)`` counts; ``trusted_quantities`` is False for
    sources whose quantities were not validated by a schema (CSV)."""

    rows: Sequence[tuple[str, str, int]]
    trusted_quantities: bool = True


@dataclass(frozen=True, slots=True)
class Reserve:
    order_id: str
    lines: Sequence[tuple[str, int]]
    ttl_seconds: int = 900
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class Release:
    reservation_id: str


@dataclass(frozen=True, slots=True)
class Confirm:
    reservation_id: str
