"""The SQL unit of work of orders: repositories on one session, outbox included."""

from __future__ import annotations

from typing import Self

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from shop.orders.adapters.repository import SqlOrderRepository, SqlPlacementRepository
from shop.orders.service_layer.idempotency import DuplicateRequest
from shop.orders.service_layer.unit_of_work import OrderChanged
from shop.platform.unit_of_work import SqlUnitOfWork


class SqlOrdersUnitOfWork(SqlUnitOfWork):
    orders: SqlOrderRepository
    placements: SqlPlacementRepository

    def __enter__(self) -> Self:
        super().__enter__()
        self.orders = SqlOrderRepository(self.session)
        self.placements = SqlPlacementRepository(self.session)
        return self

    def commit(self) -> None:
        """Commit; a lost placement-key race is ``DuplicateRequest``, a lost update
        ``OrderChanged`` (both after rolling back)."""
        self.orders.sync()
        try:
            super().commit()
        except IntegrityError as exc:
            self.rollback()
            raise DuplicateRequest from exc
        except StaleDataError as exc:
            self.rollback()
            raise OrderChanged from exc
