"""The inventory's tables, on the shop's shared declarative ``Base``.

Money is stored as integer minor units plus a currency column; never a float.
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


class ProductRow(Base):
    __tablename__ = "inventory_products"
    __table_args__ = (CheckConstraint("price_amount >= 0", name="price_not_negative"),)

    sku: Mapped[str] = mapped_column(String(63), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    price_amount: Mapped[int] = mapped_column(BigInteger)
    price_currency: Mapped[str] = mapped_column(String(3))
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    version: Mapped[int] = mapped_column(Integer, default=1)


class StockRow(Base):
    __tablename__ = "inventory_stock"

    sku: Mapped[str] = mapped_column(
        String(63), ForeignKey("inventory_products.sku", ondelete="CASCADE"), primary_key=True
    )
    warehouse: Mapped[str] = mapped_column(String(32), primary_key=True)
    on_hand: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)


class ReservationRow(Base):
    __tablename__ = "inventory_reservations"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    order_id: Mapped[str] = mapped_column(String(100), index=True)
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True, default=None)


class ReservationLineRow(Base):
    __tablename__ = "inventory_reservation_lines"
    __table_args__ = (Index("ix_inventory_reservation_lines_stock", "sku", "warehouse"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reservation_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("inventory_reservations.id", ondelete="CASCADE"), index=True
    )
    sku: Mapped[str] = mapped_column(String(63))
    warehouse: Mapped[str] = mapped_column(String(32))
    quantity: Mapped[int] = mapped_column(Integer)
