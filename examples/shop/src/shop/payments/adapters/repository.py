"""SQL repositories of payments and idempotency keys (SQLAlchemy Core on the session).

Statements are built once and values travel as parameters. A payment is written back
when the unit of work commits (``sync``): an insert, or ``UPDATE ... WHERE version =
:read`` plus its new refunds; a lost optimistic lock raises ``PaymentChanged``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Row, Table, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shop.payments.adapters.tables import PaymentIdempotencyRow, PaymentRow, RefundRow
from shop.payments.domain.money import Money
from shop.payments.domain.payment import Payment, PaymentStatus, Refund
from shop.payments.service_layer.idempotency import (
    DuplicateRequest,
    IdempotencyRecord,
    StoredOutcome,
)
from shop.payments.service_layer.unit_of_work import PaymentChanged, PaymentQuery

PAYMENTS = cast(Table, PaymentRow.__table__)
REFUNDS = cast(Table, RefundRow.__table__)
KEYS = cast(Table, PaymentIdempotencyRow.__table__)
SORT_COLUMNS = {
    "created_at": PAYMENTS.c.created_at,
    "amount_minor": PAYMENTS.c.amount_minor,
    "id": PAYMENTS.c.id,
}
INSERT_PAYMENT = insert(PAYMENTS)
INSERT_REFUND = insert(REFUNDS)
UPDATE_PAYMENT = update(PAYMENTS).where(
    PAYMENTS.c.id == bindparam("b_id"), PAYMENTS.c.version == bindparam("b_version")
)
SELECT_KEY = select(KEYS).where(
    KEYS.c.scope == bindparam("b_scope"), KEYS.c.key == bindparam("b_key")
)
INSERT_KEY = insert(KEYS)


def aware(moment: datetime) -> datetime:
    """``moment`` in UTC (SQLite hands back naive datetimes)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _to_domain(row: Row[Any], refunds: Sequence[Row[Any]]) -> Payment:
    return Payment(
        id=row.id,
        customer=row.customer,
        order_id=row.order_id,
        amount=Money(row.amount_minor, row.currency),
        method=row.method,
        status=PaymentStatus(row.status),
        captured=Money(row.captured_minor, row.currency),
        created_at=aware(row.created_at),
        updated_at=aware(row.updated_at),
        decline_reason=row.decline_reason,
        refunds=[
            Refund(r.id, Money(r.amount_minor, r.currency), r.reason, aware(r.created_at))
            for r in refunds
        ],
        version=row.version,
    )


def _values(payment: Payment) -> dict[str, Any]:
    return {
        "customer": payment.customer,
        "order_id": payment.order_id,
        "amount_minor": payment.amount.amount,
        "currency": payment.currency,
        "method": payment.method,
        "status": payment.status.value,
        "captured_minor": payment.captured.amount,
        "decline_reason": payment.decline_reason,
        "created_at": payment.created_at,
        "updated_at": payment.updated_at,
        "version": payment.version,
    }


def _refund_values(payment: Payment, refund: Refund) -> dict[str, Any]:
    return {
        "id": refund.id,
        "payment_id": payment.id,
        "amount_minor": refund.amount.amount,
        "currency": refund.amount.currency,
        "reason": refund.reason,
        "created_at": refund.created_at,
    }


class SqlPaymentRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        # payment id → (payment, version and refund count in the database; None: new)
        self._tracked: dict[str, tuple[Payment, tuple[int, int] | None]] = {}

    def add(self, payment: Payment) -> None:
        self._tracked[payment.id] = (payment, None)

    def get(self, payment_id: str) -> Payment | None:
        if payment_id in self._tracked:
            return self._tracked[payment_id][0]
        found = self._load(PAYMENTS.c.id == payment_id)
        if not found:
            return None
        payment = found[0]
        self._tracked[payment_id] = (payment, (payment.version, len(payment.refunds)))
        return payment

    def list(self, query: PaymentQuery) -> Sequence[Payment]:
        """One page: a constant two queries (payments, then their refunds)."""
        conditions = _filters(query)
        if query.after is not None:
            conditions.append(query.sort.after(SORT_COLUMNS, query.after))
        order_by = query.sort.order_by(SORT_COLUMNS)
        return self._load(*conditions, order_by=order_by, limit=query.limit)

    def _load(
        self, *conditions: ColumnElement[bool], order_by: Sequence[Any] = (), limit: int = 1
    ) -> Sequence[Payment]:
        statement = select(PAYMENTS).where(*conditions).order_by(*order_by).limit(limit)
        rows = self.session.execute(statement).all()
        if not rows:
            return []
        ids = [row.id for row in rows]
        refunds = self.session.execute(
            select(REFUNDS).where(REFUNDS.c.payment_id.in_(ids)).order_by(REFUNDS.c.created_at)
        ).all()
        return [_to_domain(row, [r for r in refunds if r.payment_id == row.id]) for row in rows]

    def sync(self) -> None:
        """Write every tracked payment's changes (before commit)."""
        for payment_id, (payment, stored) in list(self._tracked.items()):
            if stored is None:
                self.session.execute(INSERT_PAYMENT, {"id": payment.id, **_values(payment)})
                self._insert_refunds(payment, 0)
            elif stored[0] != payment.version:
                params = {"b_id": payment.id, "b_version": stored[0], **_values(payment)}
                if self.session.execute(UPDATE_PAYMENT, params).rowcount != 1:  # type: ignore[attr-defined]
                    raise PaymentChanged(payment.id)
                self._insert_refunds(payment, stored[1])
            self._tracked[payment_id] = (payment, (payment.version, len(payment.refunds)))

    def _insert_refunds(self, payment: Payment, stored: int) -> None:
        new = payment.refunds[stored:]
        if new:
            self.session.execute(INSERT_REFUND, [_refund_values(payment, r) for r in new])


def _filters(query: PaymentQuery) -> list[ColumnElement[bool]]:
    filters: list[ColumnElement[bool]] = []
    if query.customer is not None:
        filters.append(PAYMENTS.c.customer == query.customer)
    if query.status is not None:
        filters.append(PAYMENTS.c.status == query.status.value)
    if query.order_id is not None:
        filters.append(PAYMENTS.c.order_id == query.order_id)
    return filters


class SqlIdempotencyRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, scope: str, key: str) -> IdempotencyRecord | None:
        row = self.session.execute(SELECT_KEY, {"b_scope": scope, "b_key": key}).first()
        if row is None:
            return None
        outcome = StoredOutcome(row.status, row.kind, dict(row.snapshot))
        return IdempotencyRecord(row.scope, row.key, row.fingerprint, outcome)

    def add(self, record: IdempotencyRecord) -> None:
        values = {
            "scope": record.scope,
            "key": record.key,
            "fingerprint": record.fingerprint,
            "status": record.outcome.status,
            "kind": record.outcome.kind,
            "snapshot": record.outcome.snapshot,
            "created_at": datetime.now(UTC),
        }
        try:  # the unit of work is abandoned on a duplicate: no savepoint needed
            self.session.execute(INSERT_KEY, values)
        except IntegrityError as exc:
            raise DuplicateRequest(record.key) from exc
