"""The unit of work and repository ports the inventory's handlers depend on.

Adapters implement them on SQLAlchemy (``shop.inventory.adapters``); tests use the
in-memory ``FakeUnitOfWork`` (``shop.inventory.service_layer.memory``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self

from shop.inventory.domain.products import Product
from shop.inventory.domain.reservations import Reservation
from shop.inventory.domain.stock import Allotment, StockLevel
from shop.platform.events import Event
from shop.platform.pagination import CursorValue, SortSpec

PRODUCT_SORT_KEYS = ("sku", "name", "price")
"""Fields a product list can be sorted by (ties broken by SKU)."""

DEFAULT_PRODUCT_SORT = SortSpec.parse(None, PRODUCT_SORT_KEYS, "sku", "sku")


def product_sort_key(product: Product, sort: SortSpec) -> tuple[CursorValue, ...]:
    """The keyset values of ``product`` in ``sort`` (what a cursor carries)."""
    return tuple(
        product.price.amount if f.name == "price" else str(getattr(product, f.name))
        for f in sort.fields
    )


@dataclass(frozen=True, slots=True)
class ProductQuery:
    """One page of products: filters, order and the keyset position after which to start."""

    limit: int
    sort: SortSpec = DEFAULT_PRODUCT_SORT
    after: tuple[CursorValue, ...] | None = None
    name_contains: str | None = None
    currency: str | None = None
    min_price: int | None = None
    max_price: int | None = None


class ProductRepository(Protocol):
    """Products by SKU."""

    def get(self, sku: str) -> Product | None: ...

    def add(self, product: Product) -> None: ...

    def known(self, skus: Sequence[str]) -> set[str]:
        """Which of ``skus`` exist (one query)."""
        ...

    def replace(self, product: Product, expected_version: int) -> bool:
        """Store ``product`` if the stored one still has ``expected_version``."""
        ...

    def page(self, query: ProductQuery) -> list[Product]:
        """Up to ``query.limit`` products matching the query, in its order."""
        ...


class StockRepository(Protocol):
    """Stock levels per (SKU, warehouse), with the units live reservations hold."""

    def levels(self, skus: Sequence[str], now: datetime) -> dict[str, list[StockLevel]]:
        """Levels of each of ``skus`` (a constant number of queries)."""
        ...

    def set_on_hand(self, rows: Sequence[tuple[str, str, int]]) -> None:
        """Set ``(sku, warehouse, on_hand)`` rows, creating levels that do not exist."""
        ...

    def claim(self, levels: Sequence[StockLevel]) -> bool:
        """Advance the version of each level if none changed since it was read."""
        ...

    def deduct(self, allotments: Sequence[Allotment]) -> None:
        """Take shipped units off hand."""
        ...

    def export(self, warehouse: str | None, now: datetime) -> Iterator[StockLevel]:
        """Every level (of one warehouse), ordered by SKU then warehouse."""
        ...


class ReservationRepository(Protocol):
    """Reservations by id and by order."""

    def get(self, reservation_id: str) -> Reservation | None: ...

    def for_order(self, order_id: str) -> list[Reservation]: ...

    def by_key(self, idempotency_key: str) -> Reservation | None: ...

    def add(self, reservation: Reservation) -> None: ...

    def save_status(self, reservation: Reservation) -> None: ...


class InventoryUnitOfWork(Protocol):
    """One transaction over the inventory's repositories and the outbox."""

    @property
    def products(self) -> ProductRepository: ...

    @property
    def stock(self) -> StockRepository: ...

    @property
    def reservations(self) -> ReservationRepository: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...

    def emit(self, topic: str, event: Event) -> None:
        """Record ``event`` for ``topic`` in the outbox, in this transaction."""
        ...
