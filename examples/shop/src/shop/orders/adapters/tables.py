"""The orders tables, on the shop's shared declarative ``Base``.

``orders_saga_steps`` is the saga log: one row per step with its state and downstream
reference. ``version`` is the optimistic lock of an order (``UPDATE ... WHERE version``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from shop.platform.database import Base


class OrderRow(Base):
    __tablename__ = "orders_orders"
    __table_args__ = (
        Index("ix_orders_orders_customer_created", "customer", "created_at", "id"),
        Index("ix_orders_orders_created", "created_at", "id"),
        Index("ix_orders_orders_unfinished", "status", "updated_at"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    customer: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3))
    total_minor: Mapped[int] = mapped_column(BigInteger)
    payment_method: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(32))
    failure: Mapped[str | None] = mapped_column(String(64))
    cancel_requested: Mapped[bool] = mapped_column(Boolean)
    attempts: Mapped[int] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer)


class OrderLineRow(Base):
    __tablename__ = "orders_lines"
    __table_args__ = (
        CheckConstraint("qty > 0", name="qty_positive"),
        CheckConstraint("unit_price_minor >= 0", name="price_not_negative"),
    )

    order_id: Mapped[str] = mapped_column(ForeignKey("orders_orders.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    sku: Mapped[str] = mapped_column(String(63))
    qty: Mapped[int] = mapped_column(Integer)
    unit_price_minor: Mapped[int] = mapped_column(BigInteger)


class SagaStepRow(Base):
    __tablename__ = "orders_saga_steps"

    order_id: Mapped[str] = mapped_column(ForeignKey("orders_orders.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(String(63))
    state: Mapped[str] = mapped_column(String(16))
    reference: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[str] = mapped_column(String(500))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PlacementRow(Base):
    """One order per (scope, key): the primary key is the uniqueness guard."""

    __tablename__ = "orders_placements"

    scope: Mapped[str] = mapped_column(String(200), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    order_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[int | None] = mapped_column(Integer)
    snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
