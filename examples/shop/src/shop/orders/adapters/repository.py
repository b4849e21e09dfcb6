"""SQLAlchemy repositories of orders (with lines and saga log) and placement keys."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session

from shop.orders.adapters.tables import OrderLineRow, OrderRow, PlacementRow, SagaStepRow
from shop.orders.domain.order import UNFINISHED, Order, OrderLine, OrderStatus
from shop.orders.domain.saga_log import SagaStep, StepKind, StepRef, StepState
from shop.orders.service_layer.idempotency import PlacementRecord, StoredOutcome
from shop.orders.service_layer.unit_of_work import OrderQuery

SORT_COLUMNS = {
    "created_at": OrderRow.created_at,
    "total_minor": OrderRow.total_minor,
    "id": OrderRow.id,
}


def aware(moment: datetime) -> datetime:
    """``moment`` in UTC (SQLite hands back naive datetimes)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def to_domain(row: OrderRow) -> Order:
    steps = [
        SagaStep(
            StepRef(StepKind(s.kind), s.target), StepState(s.state), s.reference, s.detail,
            aware(s.at),
        )
        for s in row.steps
    ]  # fmt: skip
    return Order(
        id=row.id,
        customer=row.customer,
        lines=tuple(OrderLine(ln.sku, ln.qty, ln.unit_price_minor) for ln in row.lines),
        currency=row.currency,
        payment_method=row.payment_method,
        status=OrderStatus(row.status),
        created_at=aware(row.created_at),
        updated_at=aware(row.updated_at),
        steps=steps,
        failure=row.failure,
        cancel_requested=row.cancel_requested,
        attempts=row.attempts,
        last_error=row.last_error,
        version=row.version,
    )


def write_row(order: Order, row: OrderRow) -> None:
    """Copy the order's state onto ``row``; lines are written once, steps kept in step."""
    row.customer, row.currency, row.total_minor = order.customer, order.currency, order.total_minor
    row.payment_method, row.failure = order.payment_method, order.failure
    row.status = order.status.value
    row.cancel_requested, row.attempts = order.cancel_requested, order.attempts
    row.last_error = (order.last_error or "")[:500] or None
    row.created_at, row.updated_at, row.version = order.created_at, order.updated_at, order.version
    if not row.lines:
        row.lines = [
            OrderLineRow(position=i, sku=ln.sku, qty=ln.qty, unit_price_minor=ln.unit_price_minor)
            for i, ln in enumerate(order.lines)
        ]
    for seq, step in enumerate(order.steps):
        if seq == len(row.steps):
            row.steps.append(SagaStepRow(seq=seq, kind=step.ref.kind.value, target=step.ref.target))
        stored = row.steps[seq]
        stored.state, stored.reference = step.state.value, step.reference
        stored.detail, stored.at = step.detail[:500], step.at


class SqlOrderRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._tracked: dict[str, tuple[Order, OrderRow]] = {}

    def add(self, order: Order) -> None:
        row = OrderRow(id=order.id)
        write_row(order, row)
        self.session.add(row)
        self._tracked[order.id] = (order, row)

    def get(self, order_id: str) -> Order | None:
        if order_id in self._tracked:
            return self._tracked[order_id][0]
        row = self.session.get(OrderRow, order_id)
        if row is None:
            return None
        order = to_domain(row)
        self._tracked[order_id] = (order, row)
        return order

    def list(self, query: OrderQuery) -> Sequence[Order]:
        """One page: a constant three queries (orders, lines, steps)."""
        statement = select(OrderRow).where(*_filters(query))
        if query.after is not None:
            statement = statement.where(query.sort.after(SORT_COLUMNS, query.after))
        statement = statement.order_by(*query.sort.order_by(SORT_COLUMNS)).limit(query.limit)
        return [to_domain(row) for row in self.session.scalars(statement)]

    def unfinished(self, updated_before: datetime, limit: int) -> Sequence[str]:
        statement = (
            select(OrderRow.id)
            .where(OrderRow.status.in_([s.value for s in UNFINISHED]))
            .where(OrderRow.updated_at <= updated_before)
            .order_by(OrderRow.updated_at)
            .limit(limit)
        )
        return list(self.session.scalars(statement))

    def sync(self) -> None:
        for order, row in self._tracked.values():
            write_row(order, row)


def _filters(query: OrderQuery) -> list[ColumnElement[bool]]:
    filters: list[ColumnElement[bool]] = []
    if query.customer is not None:
        filters.append(OrderRow.customer == query.customer)
    if query.status is not None:
        filters.append(OrderRow.status == query.status.value)
    return filters


class SqlPlacementRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, scope: str, key: str) -> PlacementRecord | None:
        row = self.session.get(PlacementRow, (scope, key))
        if row is None:
            return None
        outcome = None
        if row.status is not None and row.snapshot is not None:
            outcome = StoredOutcome(row.status, dict(row.snapshot))
        return PlacementRecord(row.scope, row.key, row.fingerprint, row.order_id, outcome)

    def add(self, record: PlacementRecord) -> None:
        self.session.add(
            PlacementRow(
                scope=record.scope,
                key=record.key,
                fingerprint=record.fingerprint,
                order_id=record.order_id,
                created_at=datetime.now(UTC),
            )
        )

    def settle(self, scope: str, key: str, outcome: StoredOutcome) -> None:
        self.session.execute(
            update(PlacementRow)
            .where(PlacementRow.scope == scope, PlacementRow.key == key)
            .values(status=outcome.status, snapshot=outcome.snapshot)
        )
