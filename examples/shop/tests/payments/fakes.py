"""In-memory fakes of the payments ports: unit of work, repositories, clock, ids."""

from __future__ import annotations

import copy
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Self

from shop.payments.domain.events import PaymentEvent
from shop.payments.domain.payment import Payment
from shop.payments.service_layer.idempotency import DuplicateRequest, IdempotencyRecord
from shop.payments.service_layer.unit_of_work import PaymentQuery


@dataclass
class FakeClock:
    now: datetime = field(default_factory=lambda: datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


class SequentialIds:
    def __init__(self) -> None:
        self._counter = itertools.count(1)

    def __call__(self, prefix: str) -> str:
        return f"{prefix}_{next(self._counter):04d}"


class FakePaymentRepository:
    def __init__(self, rows: dict[str, Payment]) -> None:
        self.rows = rows

    def add(self, payment: Payment) -> None:
        self.rows[payment.id] = payment

    def get(self, payment_id: str) -> Payment | None:
        return self.rows.get(payment_id)

    def list(self, query: PaymentQuery) -> Sequence[Payment]:
        found = [
            p
            for p in self.rows.values()
            if query.customer in (None, p.customer) and query.status in (None, p.status)
        ]
        found.sort(key=lambda p: (p.created_at, p.id), reverse=True)
        return found[: query.limit]


class FakeIdempotencyRepository:
    def __init__(self, rows: dict[tuple[str, str], IdempotencyRecord]) -> None:
        self.rows = rows

    def get(self, scope: str, key: str) -> IdempotencyRecord | None:
        return self.rows.get((scope, key))

    def add(self, record: IdempotencyRecord) -> None:
        self.rows[(record.scope, record.key)] = record


@dataclass
class Store:
    """What is committed: the fake database shared by every unit of work."""

    payments: dict[str, Payment] = field(default_factory=dict)
    keys: dict[tuple[str, str], IdempotencyRecord] = field(default_factory=dict)
    outbox: list[tuple[str, PaymentEvent]] = field(default_factory=list)


class FakeUnitOfWork:
    """Works on copies of the store; ``commit`` publishes them (like a transaction)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.commits = 0
        self.race_once: IdempotencyRecord | None = None

    def __enter__(self) -> Self:
        self.payments = FakePaymentRepository(copy.deepcopy(self.store.payments))
        self.idempotency = FakeIdempotencyRepository(dict(self.store.keys))
        self._events: list[tuple[str, PaymentEvent]] = []
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()

    def emit(self, topic: str, event: PaymentEvent) -> None:
        self._events.append((topic, event))

    def commit(self) -> None:
        if self.race_once is not None:
            winner, self.race_once = self.race_once, None
            self.store.keys[(winner.scope, winner.key)] = winner
            raise DuplicateRequest
        for key in self.idempotency.rows.keys() - self.store.keys.keys():
            self.store.keys[key] = self.idempotency.rows[key]
        self.store.payments = self.payments.rows
        self.store.outbox.extend(self._events)
        self._events = []
        self.commits += 1

    def rollback(self) -> None:
        self._events = []
