"""In-memory repositories and a fake unit of work for allocation's service-layer tests."""

from __future__ import annotations

import copy
from datetime import date
from types import TracebackType
from typing import Self

from shop.allocation.domain.model import Batch, OrderLine, Product
from shop.allocation.service_layer.unit_of_work import BatchQuery
from shop.platform.events import Event


class MemoryProducts:
    """Aggregates stored as copies, so unsaved changes stay invisible as in a database."""

    def __init__(self) -> None:
        self.rows: dict[str, Product] = {}

    def get(self, sku: str) -> Product | None:
        stored = self.rows.get(sku)
        return copy.deepcopy(stored) if stored is not None else None

    def for_batch(self, reference: str) -> Product | None:
        for product in self.rows.values():
            if product.batch(reference) is not None:
                return copy.deepcopy(product)
        return None

    def add(self, product: Product) -> None:
        self.rows[product.sku] = copy.deepcopy(product)

    def save(self, product: Product, seen_version: int) -> bool:
        stored = self.rows.get(product.sku)
        if stored is None or stored.version != seen_version:
            return False
        self.rows[product.sku] = copy.deepcopy(product)
        return True


def _sort_value(batch: Batch, key: str) -> tuple[bool, str | int | date]:
    if key == "eta":
        return (batch.eta is not None, batch.eta or date.min)
    if key == "quantity":
        return (True, batch.purchased_quantity)
    return (True, str(getattr(batch, key)))


class MemoryViews:
    """Read-side queries over ``MemoryProducts``."""

    def __init__(self, products: MemoryProducts) -> None:
        self._products = products

    def _all(self) -> list[Batch]:
        return [b for p in self._products.rows.values() for b in p.batches]

    def batch(self, reference: str) -> Batch | None:
        return next((copy.deepcopy(b) for b in self._all() if b.reference == reference), None)

    def batch_exists(self, reference: str) -> bool:
        return any(b.reference == reference for b in self._all())

    def page(self, query: BatchQuery) -> list[Batch]:
        chosen = [
            b
            for b in self._all()
            if (query.sku is None or b.sku == query.sku)
            and (query.arrived is None or (b.eta is None) == query.arrived)
        ]
        chosen.sort(key=lambda b: (_sort_value(b, query.sort), b.reference))
        if query.descending:
            chosen.reverse()
        return copy.deepcopy(chosen[: query.limit])

    def lines_of(self, order_id: str) -> list[tuple[OrderLine, str]]:
        return [
            (b.lines[order_id], b.reference)
            for b in sorted(self._all(), key=lambda b: b.reference)
            if order_id in b.lines
        ]


class FakeUnitOfWork:
    """A unit of work over in-memory repositories; records commits and emitted events."""

    def __init__(self) -> None:
        self.products = MemoryProducts()
        self.views = MemoryViews(self.products)
        self.committed = 0
        self.events: list[tuple[str, Event]] = []
        self._pending: list[tuple[str, Event]] = []

    def __enter__(self) -> Self:
        self._pending = []
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._pending = []

    def commit(self) -> None:
        self.committed += 1
        self.events.extend(self._pending)
        self._pending = []

    def emit(self, topic: str, event: Event) -> None:
        self._pending.append((topic, event))
