"""Allocation's tables, on the shop's shared declarative ``Base``."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shop.platform.database import Base


class ProductRow(Base):
    """One row per SKU: the version that guards every batch of the SKU."""

    __tablename__ = "allocation_products"

    sku: Mapped[str] = mapped_column(String(63), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)


class BatchRow(Base):
    __tablename__ = "allocation_batches"

    reference: Mapped[str] = mapped_column(String(64), primary_key=True)
    sku: Mapped[str] = mapped_column(String(63), ForeignKey("allocation_products.sku"), index=True)
    purchased_quantity: Mapped[int] = mapped_column(Integer)
    eta: Mapped[date | None] = mapped_column(Date, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)


class LineRow(Base):
    __tablename__ = "allocation_lines"
    __table_args__ = (UniqueConstraint("order_id", "sku", name="uq_allocation_lines_order_sku"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    batch_reference: Mapped[str] = mapped_column(
        String(64), ForeignKey("allocation_batches.reference"), index=True
    )
    order_id: Mapped[str] = mapped_column(String(100), index=True)
    sku: Mapped[str] = mapped_column(String(63))
    quantity: Mapped[int] = mapped_column(Integer)
