"""The SQL unit of work of payments: repositories on one session, outbox included."""

from __future__ import annotations

from typing import Self

from shop.payments.adapters.repository import SqlIdempotencyRepository, SqlPaymentRepository
from shop.platform.unit_of_work import SqlUnitOfWork


class SqlPaymentsUnitOfWork(SqlUnitOfWork):
    """Writes payments at commit; ``PaymentChanged`` (lost update) and ``DuplicateRequest``
    (a key taken concurrently) surface from ``commit`` and ``idempotency.add``."""

    payments: SqlPaymentRepository
    idempotency: SqlIdempotencyRepository

    def __enter__(self) -> Self:
        super().__enter__()
        self.payments = SqlPaymentRepository(self.session)
        self.idempotency = SqlIdempotencyRepository(self.session)
        return self

    def commit(self) -> None:
        self.payments.sync()
        super().commit()
