"""In-memory repositories and a fake unit of work for allocation's service-layer tests."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from functools import cmp_to_key
from types import TracebackType
from typing import Any, Self

from shop.allocation.domain.model import Batch, OrderLine, Product
from shop.allocation.service_layer.unit_of_work import BatchQuery, batch_sort_key
from shop.platform.events import Event
from shop.platform.pagination import SortSpec


class MemoryProducts:
    """Aggregates stored as copies, so unsaved changes stay invisible as in a database."""

    def __init__(self) -> None:
        self.rows: dict[str, Product] = {}

    def get(self, sku: str) -> Product | None:
        stored = self.rows.get(sku)
        return copy.deepcopy(stored) if stored is not None else None

    def for_order(self, sku: str, order_id: str) -> Product | None:
        """The whole aggregate: every line, which includes the order's (a stored copy is
        replaced whole by ``save``, so it must not be a partial one)."""
        return self.get(sku)

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


def _is_after(key: Sequence[Any], cursor: Sequence[Any], sort: SortSpec) -> bool:
    for value, seen, field in zip(key, cursor, sort.fields, strict=True):
        if value != seen:
            return bool(value < seen if field.descending else value > seen)
    return False


def _in_order(batches: list[Batch], query: BatchQuery) -> list[Batch]:
    sort = query.sort

    def compare(a: Batch, b: Batch) -> int:
        key_a, key_b = batch_sort_key(a, sort), batch_sort_key(b, sort)
        return 1 if _is_after(key_a, key_b, sort) else -1 if _is_after(key_b, key_a, sort) else 0

    ordered = sorted(batches, key=cmp_to_key(compare))
    after = query.after
    if after is not None:
        ordered = [b for b in ordered if _is_after(batch_sort_key(b, sort), after, sort)]
    return ordered


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
        return copy.deepcopy(_in_order(chosen, query)[: query.limit])

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
