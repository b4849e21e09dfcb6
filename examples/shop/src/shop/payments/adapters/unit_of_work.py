"""The SQL unit of work of payments: repositories on one session, outbox included."""

from __future__ import annotations

from typing import Self

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from shop.payments.adapters.repository import SqlIdempotencyRepository, SqlPaymentRepository
from shop.payments.service_layer.idempotency import DuplicateRequest
from shop.payments.service_layer.unit_of_work import PaymentChanged
from shop.platform.unit_of_work import SqlUnitOfWork


class SqlPaymentsUnitOfWork(SqlUnitOfWork):
    payments: SqlPaymentRepository
    idempotency: SqlIdempotencyRepository

    def __enter__(self) -> Self:
        super().__enter__()
        self.payments = SqlPaymentRepository(self.session)
        self.idempotency = SqlIdempotencyRepository(self.session)
        return self

    def commit(self) -> None:
        """Commit; a lost idempotency-key race is ``DuplicateRequest``, a lost update
        ``PaymentChanged`` (both after rolling back)."""
        self.payments.sync()
        try:
            super().commit()
        except IntegrityError as exc:
            self.rollback()
            raise DuplicateRequest from exc
        except StaleDataError as exc:
            self.rollback()
            raise PaymentChanged from exc
