"""The SQL unit of work of orders: repositories on one session, outbox included."""

from __future__ import annotations

from typing import Self

from shop.orders.adapters.repository import SqlOrderRepository, SqlPlacementRepository
from shop.platform.unit_of_work import SqlUnitOfWork


class SqlOrdersUnitOfWork(SqlUnitOfWork):
    """Writes orders at commit; ``OrderChanged`` (lost update) and ``DuplicateRequest``
    (a placement key taken concurrently) surface from ``commit`` and ``placements.add``."""

    orders: SqlOrderRepository
    placements: SqlPlacementRepository

    def __enter__(self) -> Self:
        super().__enter__()
        self.orders = SqlOrderRepository(self.session)
        self.placements = SqlPlacementRepository(self.session)
        return self

    def commit(self) -> None:
        self.orders.sync()
        super().commit()
