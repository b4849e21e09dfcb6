"""The unit of work and repository ports allocation's handlers depend on."""

from __future__ import annotations

from dataclasses import dataclass
from types import TracebackType
from typing import Protocol, Self

from shop.allocation.domain.model import Batch, OrderLine, Product
from shop.platform.events import Event
from shop.platform.pagination import CursorValue, SortSpec

BATCH_SORT_KEYS = ("reference", "sku", "quantity")
"""Fields a batch list can be sorted by (ties broken by reference)."""

DEFAULT_BATCH_SORT = SortSpec.parse(None, BATCH_SORT_KEYS, "reference", "reference")


def batch_sort_key(batch: Batch, sort: SortSpec) -> tuple[CursorValue, ...]:
    """The keyset values of ``batch`` in ``sort`` (what a cursor carries)."""
    return tuple(
        batch.purchased_quantity if f.name == "quantity" else str(getattr(batch, f.name))
        for f in sort.fields
    )


@dataclass(frozen=True, slots=True)
class BatchQuery:
    """One page of batches: filters, order and the keyset position to continue after."""

    limit: int
    sort: SortSpec = DEFAULT_BATCH_SORT
    after: tuple[CursorValue, ...] | None = None
    sku: str | None = None
    arrived: bool | None = None


class ProductRepository(Protocol):
    """Allocation aggregates by SKU, saved with a compare-and-set on their version."""

    def get(self, sku: str) -> Product | None: ...

    def for_order(self, sku: str, order_id: str) -> Product | None:
        """The aggregate with only ``order_id``'s line among its batches' lines (the
        others are counted in ``Batch.other_allocated``): enough to allocate or
        deallocate that order's line, not to move other lines."""
        ...

    def for_batch(self, reference: str) -> Product | None:
        """The aggregate owning batch ``reference``."""
        ...

    def add(self, product: Product) -> None: ...

    def save(self, product: Product, seen_version: int) -> bool:
        """Store ``product`` if its stored version is still ``seen_version``."""
        ...


class BatchViews(Protocol):
    """Read-side queries over batches and allocations."""

    def batch(self, reference: str) -> Batch | None: ...

    def page(self, query: BatchQuery) -> list[Batch]:
        """A page of batches with their lines (a constant number of queries)."""
        ...

    def lines_of(self, order_id: str) -> list[tuple[OrderLine, str]]:
        """The order's lines with the reference of the batch each is allocated to."""
        ...

    def batch_exists(self, reference: str) -> bool: ...


class AllocationUnitOfWork(Protocol):
    """One transaction over allocation's repositories and the outbox."""

    @property
    def products(self) -> ProductRepository: ...

    @property
    def views(self) -> BatchViews: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...

    def emit(self, topic: str, event: Event) -> None: ...
