"""The payments tables, on the shop's shared declarative ``Base``.

Money is integer minor units plus a currency column; never a float. ``version`` is the
optimistic lock: every update is ``... WHERE version = :read`` (a lost race raises).
Rows are read and written with Core statements (``adapters.repository``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from shop.platform.database import Base


class PaymentRow(Base):
    __tablename__ = "payments_payments"
    __table_args__ = (
        CheckConstraint("amount_minor >= 0", name="amount_not_negative"),
        CheckConstraint("captured_minor <= amount_minor", name="captured_within_amount"),
        Index("ix_payments_payments_customer_created", "customer", "created_at", "id"),
        Index("ix_payments_payments_created", "created_at", "id"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    customer: Mapped[str] = mapped_column(String(200))
    order_id: Mapped[str | None] = mapped_column(String(64), index=True)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    method: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(32))
    captured_minor: Mapped[int] = mapped_column(BigInteger)
    decline_reason: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer)


class RefundRow(Base):
    __tablename__ = "payments_refunds"
    __table_args__ = (CheckConstraint("amount_minor > 0", name="amount_positive"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    payment_id: Mapped[str] = mapped_column(ForeignKey("payments_payments.id"), index=True)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    reason: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PaymentIdempotencyRow(Base):
    """One stored outcome per (scope, key): the primary key is the uniqueness guard."""

    __tablename__ = "payments_idempotency_keys"

    scope: Mapped[str] = mapped_column(String(200), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
