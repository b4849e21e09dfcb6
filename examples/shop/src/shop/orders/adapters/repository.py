"""SQL repositories of orders (with lines and saga log) and placement keys.

Orders are read and written with SQLAlchemy Core on the unit of work's session: the
saga commits after every step, and a step is one ``UPDATE ... WHERE version = :seen`` of
the order plus one saga-log row, without the ORM's flush machinery. A lost optimistic
lock (another process drove the order) raises ``OrderChanged``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Row, Table, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shop.orders.adapters.tables import OrderLineRow, OrderRow, PlacementRow, SagaStepRow
from shop.orders.domain.order import UNFINISHED, Order, OrderLine, OrderStatus
from shop.orders.domain.saga_log import SagaStep, StepKind, StepRef, StepState
from shop.orders.service_layer.idempotency import (
    DuplicateRequest,
    PlacementRecord,
    StoredOutcome,
)
from shop.orders.service_layer.unit_of_work import OrderChanged, OrderQuery

ORDERS = cast(Table, OrderRow.__table__)
LINES = cast(Table, OrderLineRow.__table__)
STEPS = cast(Table, SagaStepRow.__table__)
SORT_COLUMNS = {
    "created_at": ORDERS.c.created_at,
    "total_minor": ORDERS.c.total_minor,
    "id": ORDERS.c.id,
}

StepState_ = tuple[str, str | None, str, datetime]

# Statements are built once; values travel as parameters (no per-call compilation).
INSERT_ORDER = insert(ORDERS)
INSERT_LINES = insert(LINES)
INSERT_STEP = insert(STEPS)
UPDATE_ORDER = update(ORDERS).where(
    ORDERS.c.id == bindparam("b_id"), ORDERS.c.version == bindparam("b_version")
)
UPDATE_STEP = update(STEPS).where(
    STEPS.c.order_id == bindparam("b_order_id"), STEPS.c.seq == bindparam("b_seq")
)


def aware(moment: datetime) -> datetime:
    """``moment`` in UTC (SQLite hands back naive datetimes)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _order_values(order: Order) -> dict[str, Any]:
    return {
        "customer": order.customer,
        "currency": order.currency,
        "total_minor": order.total_minor,
        "payment_method": order.payment_method,
        "status": order.status.value,
        "failure": order.failure,
        "cancel_requested": order.cancel_requested,
        "attempts": order.attempts,
        "last_error": (order.last_error or "")[:500] or None,
        "created_at": order.created_at,
        "updated_at": order.updated_at,
        "version": order.version,
    }


def _step_state(step: SagaStep) -> StepState_:
    return (step.state.value, step.reference, step.detail[:500], step.at)


def _step_values(order_id: str, seq: int, step: SagaStep) -> dict[str, Any]:
    state, reference, detail, at = _step_state(step)
    return {
        "order_id": order_id,
        "seq": seq,
        "kind": step.ref.kind.value,
        "target": step.ref.target,
        "state": state,
        "reference": reference,
        "detail": detail,
        "at": at,
    }


def _to_domain(row: Row[Any], lines: Iterable[Row[Any]], steps: Iterable[Row[Any]]) -> Order:
    return Order(
        id=row.id,
        customer=row.customer,
        lines=tuple(OrderLine(ln.sku, ln.qty, ln.unit_price_minor) for ln in lines),
        currency=row.currency,
        payment_method=row.payment_method,
        status=OrderStatus(row.status),
        created_at=aware(row.created_at),
        updated_at=aware(row.updated_at),
        steps=[
            SagaStep(
                StepRef(StepKind(s.kind), s.target),
                StepState(s.state),
                s.reference,
                s.detail,
                aware(s.at),
            )
            for s in steps
        ],
        failure=row.failure,
        cancel_requested=row.cancel_requested,
        attempts=row.attempts,
        last_error=row.last_error,
        version=row.version,
    )


@dataclass
class _Written:
    """What the database holds of a tracked order: its version and saga-log rows."""

    version: int
    steps: list[StepState_]


class SqlOrderRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._tracked: dict[str, tuple[Order, _Written | None]] = {}

    def add(self, order: Order) -> None:
        self._tracked[order.id] = (order, None)

    def get(self, order_id: str) -> Order | None:
        if order_id in self._tracked:
            return self._tracked[order_id][0]
        found = self._load(ORDERS.c.id == order_id)
        if not found:
            return None
        order = found[0]
        self._tracked[order_id] = (order, _written(order))
        return order

    def list(self, query: OrderQuery) -> Sequence[Order]:
        """One page: a constant three queries (orders, their lines, their saga logs)."""
        conditions = _filters(query)
        if query.after is not None:
            conditions.append(query.sort.after(SORT_COLUMNS, query.after))
        order_by = query.sort.order_by(SORT_COLUMNS)
        return self._load(*conditions, order_by=order_by, limit=query.limit)

    def unfinished(self, updated_before: datetime, limit: int) -> Sequence[str]:
        statement = (
            select(ORDERS.c.id)
            .where(ORDERS.c.status.in_([s.value for s in UNFINISHED]))
            .where(ORDERS.c.updated_at <= updated_before)
            .order_by(ORDERS.c.updated_at)
            .limit(limit)
        )
        return list(self.session.scalars(statement))

    def _load(
        self, *conditions: ColumnElement[bool], order_by: Sequence[Any] = (), limit: int = 1
    ) -> Sequence[Order]:
        rows = self.session.execute(
            select(ORDERS).where(*conditions).order_by(*order_by).limit(limit)
        ).all()
        ids = [row.id for row in rows]
        if not ids:
            return []
        lines = self.session.execute(
            select(LINES).where(LINES.c.order_id.in_(ids)).order_by(LINES.c.position)
        ).all()
        steps = self.session.execute(
            select(STEPS).where(STEPS.c.order_id.in_(ids)).order_by(STEPS.c.seq)
        ).all()
        return [
            _to_domain(
                row,
                [ln for ln in lines if ln.order_id == row.id],
                [s for s in steps if s.order_id == row.id],
            )
            for row in rows
        ]

    def sync(self) -> None:
        """Write every tracked order's changes (before commit); ``OrderChanged`` when a
        concurrent transaction moved an order's version on."""
        for order_id, (order, written) in list(self._tracked.items()):
            if written is None:
                self._insert(order)
            elif written.version != order.version:
                self._update(order, written)
            self._tracked[order_id] = (order, _written(order))

    def _insert(self, order: Order) -> None:
        self.session.execute(INSERT_ORDER, {"id": order.id, **_order_values(order)})
        self.session.execute(
            INSERT_LINES,
            [
                {
                    "order_id": order.id,
                    "position": i,
                    "sku": line.sku,
                    "qty": line.qty,
                    "unit_price_minor": line.unit_price_minor,
                }
                for i, line in enumerate(order.lines)
            ],
        )
        self._write_steps(order, [])

    def _update(self, order: Order, written: _Written) -> None:
        params = {"b_id": order.id, "b_version": written.version, **_order_values(order)}
        result = self.session.execute(UPDATE_ORDER, params)
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise OrderChanged(order.id)
        self._write_steps(order, written.steps)

    def _write_steps(self, order: Order, stored: Sequence[StepState_]) -> None:
        """New saga-log rows in one statement; changed ones (compensated) one by one."""
        added = [
            _step_values(order.id, seq, step)
            for seq, step in enumerate(order.steps)
            if seq >= len(stored)
        ]
        if added:
            self.session.execute(INSERT_STEP, added)
        for seq, step in enumerate(order.steps[: len(stored)]):
            if stored[seq] != _step_state(step):
                state, reference, detail, at = _step_state(step)
                values = {"state": state, "reference": reference, "detail": detail, "at": at}
                self.session.execute(UPDATE_STEP, {"b_order_id": order.id, "b_seq": seq, **values})


def _written(order: Order) -> _Written:
    return _Written(order.version, [_step_state(step) for step in order.steps])


def _filters(query: OrderQuery) -> list[ColumnElement[bool]]:
    filters: list[ColumnElement[bool]] = []
    if query.customer is not None:
        filters.append(ORDERS.c.customer == query.customer)
    if query.status is not None:
        filters.append(ORDERS.c.status == query.status.value)
    return filters


PLACEMENTS = cast(Table, PlacementRow.__table__)
SELECT_PLACEMENT = select(PLACEMENTS).where(
    PLACEMENTS.c.scope == bindparam("b_scope"), PLACEMENTS.c.key == bindparam("b_key")
)
INSERT_PLACEMENT = insert(PLACEMENTS)
SETTLE_PLACEMENT = update(PLACEMENTS).where(
    PLACEMENTS.c.scope == bindparam("b_scope"), PLACEMENTS.c.key == bindparam("b_key")
)


class SqlPlacementRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, scope: str, key: str) -> PlacementRecord | None:
        row = self.session.execute(SELECT_PLACEMENT, {"b_scope": scope, "b_key": key}).first()
        if row is None:
            return None
        outcome = None
        if row.status is not None and row.snapshot is not None:
            outcome = StoredOutcome(row.status, dict(row.snapshot))
        return PlacementRecord(row.scope, row.key, row.fingerprint, row.order_id, outcome)

    def add(self, record: PlacementRecord) -> None:
        values = {
            "scope": record.scope,
            "key": record.key,
            "fingerprint": record.fingerprint,
            "order_id": record.order_id,
            "created_at": datetime.now(UTC),
        }
        try:  # the unit of work is abandoned on a duplicate: no savepoint needed
            self.session.execute(INSERT_PLACEMENT, values)
        except IntegrityError as exc:
            raise DuplicateRequest(record.key) from exc

    def settle(self, scope: str, key: str, outcome: StoredOutcome) -> None:
        values = {"status": outcome.status, "snapshot": outcome.snapshot}
        self.session.execute(SETTLE_PLACEMENT, {"b_scope": scope, "b_key": key, **values})
