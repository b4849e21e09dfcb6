"""In-memory repositories and a fake unit of work, for service-layer tests and demos."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import datetime
from functools import cmp_to_key
from types import TracebackType
from typing import Any, Self

from shop.inventory.domain.products import Product
from shop.inventory.domain.reservations import Reservation
from shop.inventory.domain.stock import Allotment, StockLevel
from shop.inventory.service_layer.unit_of_work import ProductQuery, product_sort_key
from shop.platform.events import Event
from shop.platform.pagination import SortSpec


def _is_after(key: Sequence[Any], cursor: Sequence[Any], sort: SortSpec) -> bool:
    for value, seen, field in zip(key, cursor, sort.fields, strict=True):
        if value != seen:
            return bool(value < seen if field.descending else value > seen)
    return False


def _ordered(products: list[Product], sort: SortSpec) -> list[Product]:
    def compare(a: Product, b: Product) -> int:
        key_a, key_b = product_sort_key(a, sort), product_sort_key(b, sort)
        return 1 if _is_after(key_a, key_b, sort) else -1 if _is_after(key_b, key_a, sort) else 0

    return sorted(products, key=cmp_to_key(compare))


def _matches(product: Product, query: ProductQuery) -> bool:
    name = query.name_contains
    return (
        (name is None or name.lower() in product.name.lower())
        and (query.currency is None or product.price.currency == query.currency)
        and (query.min_price is None or product.price.amount >= query.min_price)
        and (query.max_price is None or product.price.amount <= query.max_price)
    )


class MemoryProducts:
    """Products in a dict."""

    def __init__(self) -> None:
        self.rows: dict[str, Product] = {}

    def get(self, sku: str) -> Product | None:
        return self.rows.get(sku)

    def add(self, product: Product) -> None:
        self.rows[product.sku] = product

    def known(self, skus: Sequence[str]) -> set[str]:
        return {sku for sku in skus if sku in self.rows}

    def replace(self, product: Product, expected_version: int) -> bool:
        current = self.rows.get(product.sku)
        if current is None or current.version != expected_version:
            return False
        self.rows[product.sku] = product
        return True

    def page(self, query: ProductQuery) -> list[Product]:
        chosen = _ordered([p for p in self.rows.values() if _matches(p, query)], query.sort)
        after = query.after
        if after is not None:
            chosen = [
                p for p in chosen if _is_after(product_sort_key(p, query.sort), after, query.sort)
            ]
        return chosen[: query.limit]


class MemoryReservations:
    """Reservations in a dict."""

    def __init__(self) -> None:
        self.rows: dict[str, Reservation] = {}

    def get(self, reservation_id: str) -> Reservation | None:
        return self.rows.get(reservation_id)

    def for_order(self, order_id: str) -> list[Reservation]:
        return [r for r in self.rows.values() if r.order_id == order_id]

    def by_key(self, idempotency_key: str) -> Reservation | None:
        return next((r for r in self.rows.values() if r.idempotency_key == idempotency_key), None)

    def add(self, reservation: Reservation) -> None:
        self.rows[reservation.id] = reservation

    def save_status(self, reservation: Reservation) -> None:
        self.rows[reservation.id] = reservation


class MemoryStock:
    """Stock levels in a dict; reserved units derived from the reservations."""

    def __init__(self, reservations: MemoryReservations) -> None:
        self.rows: dict[tuple[str, str], StockLevel] = {}
        self._reservations = reservations

    def _reserved(self, sku: str, warehouse: str, now: datetime) -> int:
        return sum(
            a.quantity
            for r in self._reservations.rows.values()
            if r.holds_stock_at(now)
            for a in r.allotments
            if (a.sku, a.warehouse) == (sku, warehouse)
        )

    def levels(self, skus: Sequence[str], now: datetime) -> dict[str, list[StockLevel]]:
        found: dict[str, list[StockLevel]] = {sku: [] for sku in skus}
        for (sku, warehouse), level in sorted(self.rows.items()):
            if sku in found:
                reserved = self._reserved(sku, warehouse, now)
                found[sku].append(replace(level, reserved=reserved))
        return found

    def set_on_hand(self, rows: Sequence[tuple[str, str, int]]) -> None:
        for sku, warehouse, on_hand in rows:
            old = self.rows.get((sku, warehouse))
            version = old.version + 1 if old else 1
            self.rows[(sku, warehouse)] = StockLevel(sku, warehouse, on_hand, 0, version)

    def claim(self, levels: Sequence[StockLevel]) -> bool:
        if any(self.rows[(lv.sku, lv.warehouse)].version != lv.version for lv in levels):
            return False
        for level in levels:
            key = (level.sku, level.warehouse)
            self.rows[key] = replace(self.rows[key], version=level.version + 1)
        return True

    def deduct(self, allotments: Sequence[Allotment]) -> None:
        for a in allotments:
            old = self.rows[(a.sku, a.warehouse)]
            self.rows[(a.sku, a.warehouse)] = replace(
                old, on_hand=old.on_hand - a.quantity, version=old.version + 1
            )

    def export(self, warehouse: str | None, now: datetime) -> Iterator[StockLevel]:
        for (sku, code), level in sorted(self.rows.items()):
            if warehouse is None or code == warehouse:
                yield replace(level, reserved=self._reserved(sku, code, now))


class FakeUnitOfWork:
    """A unit of work over in-memory repositories; records commits and emitted events.

    Changes are visible immediately (no rollback): tests assert on ``committed`` and
    ``events`` instead.
    """

    def __init__(self) -> None:
        self.products = MemoryProducts()
        self.reservations = MemoryReservations()
        self.stock = MemoryStock(self.reservations)
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
