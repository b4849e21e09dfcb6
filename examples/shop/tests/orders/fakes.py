"""Fakes of the orders ports and unit of work: in-memory, recording every call."""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Self

from shop.orders.domain.events import OrderEvent
from shop.orders.domain.order import UNFINISHED, Order
from shop.orders.service_layer.idempotency import (
    DuplicateRequest,
    PlacementRecord,
    StoredOutcome,
)
from shop.orders.service_layer.ports import DownstreamUnavailable, StepRejected
from shop.orders.service_layer.unit_of_work import OrderChanged, OrderQuery


@dataclass
class FakeClock:
    now: datetime = field(default_factory=lambda: datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class SequentialIds:
    def __init__(self) -> None:
        self._counter = itertools.count(1)

    def __call__(self, prefix: str) -> str:
        return f"{prefix}_{next(self._counter):04d}"


@dataclass
class Store:
    orders: dict[str, Order] = field(default_factory=dict)
    placements: dict[tuple[str, str], PlacementRecord] = field(default_factory=dict)
    outbox: list[tuple[str, OrderEvent]] = field(default_factory=list)


class FakeOrderRepository:
    def __init__(self, rows: dict[str, Order]) -> None:
        self.rows = rows
        self.seen: dict[str, int] = {}

    def add(self, order: Order) -> None:
        self.rows[order.id] = order

    def get(self, order_id: str) -> Order | None:
        order = self.rows.get(order_id)
        if order is not None:
            self.seen[order_id] = order.version
        return order

    def list(self, query: OrderQuery) -> Sequence[Order]:
        found = [o for o in self.rows.values() if query.customer in (None, o.customer)]
        found.sort(key=lambda o: (o.created_at, o.id), reverse=True)
        return found[: query.limit]

    def unfinished(self, updated_before: datetime, limit: int) -> Sequence[str]:
        return [
            o.id
            for o in self.rows.values()
            if o.status in UNFINISHED and o.updated_at <= updated_before
        ][:limit]


class FakePlacementRepository:
    def __init__(self, rows: dict[tuple[str, str], PlacementRecord]) -> None:
        self.rows = rows

    def get(self, scope: str, key: str) -> PlacementRecord | None:
        return self.rows.get((scope, key))

    def add(self, record: PlacementRecord) -> None:
        self.rows[(record.scope, record.key)] = record

    def settle(self, scope: str, key: str, outcome: StoredOutcome) -> None:
        record = self.rows[(scope, key)]
        self.rows[(scope, key)] = PlacementRecord(
            record.scope, record.key, record.fingerprint, record.order_id, outcome
        )


class FakeUnitOfWork:
    """Each ``with`` works on copies; ``commit`` writes them back like a transaction."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.commits = 0
        self.crash_after_commits: int | None = None

    def __call__(self) -> Self:
        return self

    def __enter__(self) -> Self:
        self.orders = FakeOrderRepository(copy.deepcopy(self.store.orders))
        self.placements = FakePlacementRepository(dict(self.store.placements))
        self._events: list[tuple[str, OrderEvent]] = []
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._events = []

    def emit(self, topic: str, event: OrderEvent) -> None:
        self._events.append((topic, event))

    def commit(self) -> None:
        if self.crash_after_commits is not None and self.commits >= self.crash_after_commits:
            raise Crash("the process died before this commit")
        for key in self.placements.rows.keys() & self.store.placements.keys():
            if self.store.placements[key].order_id != self.placements.rows[key].order_id:
                raise DuplicateRequest
        for order_id, version in self.orders.seen.items():
            if self.store.orders[order_id].version != version:
                raise OrderChanged(order_id)
        self.store.orders = copy.deepcopy(self.orders.rows)
        self.store.placements = dict(self.placements.rows)
        self.orders.seen = {order_id: o.version for order_id, o in self.orders.rows.items()}
        self.store.outbox.extend(self._events)
        self._events = []
        self.commits += 1

    def rollback(self) -> None:
        self._events = []


class Crash(BaseException):
    """The process dying mid-saga (not an Exception: nothing may catch it)."""


Failure = Callable[[], Exception] | None


@dataclass
class FakeDownstream:
    """Inventory, allocation and payments in one: state, a call log, injected failures."""

    prices: dict[str, tuple[int, str]] = field(
        default_factory=lambda: {"LAMP": (1299, "EUR"), "SOFA": (50000, "EUR")}
    )
    calls: list[str] = field(default_factory=list)
    fail: dict[str, Failure] = field(default_factory=dict)
    reserved: dict[str, str] = field(default_factory=dict)
    confirmed: set[str] = field(default_factory=set)
    allocated: dict[tuple[str, str], int] = field(default_factory=dict)
    charges: dict[str, tuple[str, int]] = field(default_factory=dict)
    refunded: dict[str, int] = field(default_factory=dict)

    def _call(self, name: str) -> None:
        self.calls.append(name)
        failure = self.fail.get(name)
        if failure is not None:
            raise failure()

    def price_of(self, sku: str) -> tuple[int, str]:
        if sku not in self.prices:
            raise StepRejected("unknown_product", f"no product {sku}", 404)
        return self.prices[sku]

    def reserve(self, order_id: str, lines: Sequence[tuple[str, int]]) -> str:
        self._call("reserve")
        self.reserved[f"res-{order_id}"] = order_id
        return f"res-{order_id}"

    def release(self, reservation_id: str) -> None:
        self._call("release")
        self.reserved.pop(reservation_id, None)
        self.confirmed.discard(reservation_id)

    def confirm(self, reservation_id: str) -> None:
        self._call("confirm")
        self.confirmed.add(reservation_id)

    def allocate(self, order_id: str, sku: str, qty: int) -> str:
        self._call(f"allocate:{sku}")
        self.allocated[(order_id, sku)] = qty
        return f"batch-{sku}"

    def deallocate(self, order_id: str, sku: str) -> None:
        self._call(f"deallocate:{sku}")
        self.allocated.pop((order_id, sku), None)

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
        self._call("charge")
        if method == "tok_declined":
            raise StepRejected("payment-declined", "card declined", 402)
        self.charges.setdefault(idempotency_key, (order_id, amount_minor))
        return f"pay-{idempotency_key}"

    def refund(self, payment_id: str, amount_minor: int, idempotency_key: str) -> None:
        self._call("refund")
        self.refunded[idempotency_key] = amount_minor


def unavailable() -> Exception:
    return DownstreamUnavailable("connection refused")


def out_of_stock() -> Exception:
    return StepRejected("out_of_stock", "no batch can take it", 409)
