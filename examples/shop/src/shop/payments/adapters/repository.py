"""SQLAlchemy repositories of payments and idempotency keys.

Payments are mapped to and from ``PaymentRow``; the repository remembers what it loaded
and writes the changes back when the unit of work commits (``sync``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from shop.payments.adapters.tables import PaymentIdempotencyRow, PaymentRow, RefundRow
from shop.payments.domain.money import Money
from shop.payments.domain.payment import Payment, PaymentStatus, Refund
from shop.payments.service_layer.idempotency import IdempotencyRecord, StoredOutcome
from shop.payments.service_layer.unit_of_work import PaymentQuery

SORT_COLUMNS = {
    "created_at": PaymentRow.created_at,
    "amount_minor": PaymentRow.amount_minor,
    "id": PaymentRow.id,
}


def aware(moment: datetime) -> datetime:
    """``moment`` in UTC (SQLite hands back naive datetimes)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def to_domain(row: PaymentRow) -> Payment:
    refunds = [
        Refund(r.id, Money(r.amount_minor, r.currency), r.reason, aware(r.created_at))
        for r in row.refunds
    ]
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
        refunds=refunds,
        version=row.version,
    )


def write_row(payment: Payment, row: PaymentRow) -> None:
    """Copy the payment's state onto ``row`` (new refunds become new rows)."""
    row.customer, row.order_id, row.method = payment.customer, payment.order_id, payment.method
    row.amount_minor, row.currency = payment.amount.amount, payment.currency
    row.status, row.captured_minor = payment.status.value, payment.captured.amount
    row.decline_reason, row.version = payment.decline_reason, payment.version
    row.created_at, row.updated_at = payment.created_at, payment.updated_at
    stored = {refund.id for refund in row.refunds}
    for refund in payment.refunds:
        if refund.id not in stored:
            row.refunds.append(
                RefundRow(
                    id=refund.id,
                    amount_minor=refund.amount.amount,
                    currency=refund.amount.currency,
                    reason=refund.reason,
                    created_at=refund.created_at,
                )
            )


class SqlPaymentRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._tracked: dict[str, tuple[Payment, PaymentRow]] = {}

    def add(self, payment: Payment) -> None:
        row = PaymentRow(id=payment.id)
        write_row(payment, row)
        self.session.add(row)
        self._tracked[payment.id] = (payment, row)

    def get(self, payment_id: str) -> Payment | None:
        if payment_id in self._tracked:
            return self._tracked[payment_id][0]
        row = self.session.get(PaymentRow, payment_id)
        if row is None:
            return None
        payment = to_domain(row)
        self._tracked[payment_id] = (payment, row)
        return payment

    def list(self, query: PaymentQuery) -> Sequence[Payment]:
        """One page: a constant two queries (payments, then their refunds)."""
        statement = select(PaymentRow).where(*_filters(query))
        if query.after is not None:
            statement = statement.where(query.sort.after(SORT_COLUMNS, query.after))
        statement = statement.order_by(*query.sort.order_by(SORT_COLUMNS)).limit(query.limit)
        return [to_domain(row) for row in self.session.scalars(statement)]

    def sync(self) -> None:
        """Write every tracked payment's changes to its row (before commit)."""
        for payment, row in self._tracked.values():
            write_row(payment, row)


def _filters(query: PaymentQuery) -> list[ColumnElement[bool]]:
    conditions: list[tuple[object, Callable[[], ColumnElement[bool]]]] = [
        (query.customer, lambda: PaymentRow.customer == query.customer),
        (query.status, lambda: PaymentRow.status == (query.status or "")),
        (query.order_id, lambda: PaymentRow.order_id == query.order_id),
    ]
    return [make() for value, make in conditions if value is not None]


class SqlIdempotencyRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, scope: str, key: str) -> IdempotencyRecord | None:
        row = self.session.get(PaymentIdempotencyRow, (scope, key))
        if row is None:
            return None
        outcome = StoredOutcome(row.status, row.kind, dict(row.snapshot))
        return IdempotencyRecord(row.scope, row.key, row.fingerprint, outcome)

    def add(self, record: IdempotencyRecord) -> None:
        self.session.add(
            PaymentIdempotencyRow(
                scope=record.scope,
                key=record.key,
                fingerprint=record.fingerprint,
                status=record.outcome.status,
                kind=record.outcome.kind,
                snapshot=record.outcome.snapshot,
                created_at=datetime.now(UTC),
            )
        )
