"""Product prices in integer minor units (the v2 money representation).

v1 stored ``price NUMERIC(12, 2)`` in major units; v2 stores ``price_amount`` (integer
minor units, e.g. cents) and ``price_currency``. The data migration converts every row
exactly with ``Decimal`` and the currency's ISO 4217 exponent (JPY has none, KWD three),
and refuses a price that has more decimals than its currency allows instead of rounding
money away. The downgrade converts back.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 18:15:00
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EXPONENTS: dict[str, int] = {"JPY": 0, "KRW": 0, "ISK": 0, "BHD": 3, "KWD": 3, "JOD": 3, "TND": 3}
"""ISO 4217 minor-unit exponents that differ from the usual 2."""

products = sa.table(
    "inventory_products",
    sa.column("sku", sa.String),
    sa.column("price", sa.Numeric(12, 2)),
    sa.column("currency", sa.String),
    sa.column("price_amount", sa.BigInteger),
    sa.column("price_currency", sa.String),
)


def to_minor(price: Decimal, currency: str) -> int:
    """``price`` in major units as integer minor units; exact or an error."""
    scaled = Decimal(price).scaleb(EXPONENTS.get(currency.upper(), 2))
    if scaled != scaled.to_integral_value():
        raise ValueError(f"price {price} {currency} has more decimals than the currency")
    return int(scaled)


def to_major(amount: int, currency: str) -> Decimal:
    """Integer minor units back to a major-unit decimal."""
    return Decimal(amount).scaleb(-EXPONENTS.get(currency.upper(), 2))


def upgrade() -> None:
    with op.batch_alter_table("inventory_products") as batch:
        batch.add_column(sa.Column("price_amount", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("price_currency", sa.String(length=3), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(sa.select(products.c.sku, products.c.price, products.c.currency))
    for sku, price, currency in rows.all():
        connection.execute(
            products.update()
            .where(products.c.sku == sku)
            .values(price_amount=to_minor(price, currency), price_currency=currency.upper())
        )
    with op.batch_alter_table("inventory_products") as batch:
        batch.alter_column("price_amount", existing_type=sa.BigInteger(), nullable=False)
        batch.alter_column("price_currency", existing_type=sa.String(length=3), nullable=False)
        batch.drop_constraint("ck_inventory_products_v1_price_not_negative", type_="check")
        batch.create_check_constraint(
            op.f("ck_inventory_products_price_not_negative"), "price_amount >= 0"
        )
        batch.drop_column("price")
        batch.drop_column("currency")


def downgrade() -> None:
    with op.batch_alter_table("inventory_products") as batch:
        batch.add_column(sa.Column("price", sa.Numeric(12, 2), nullable=True))
        batch.add_column(sa.Column("currency", sa.String(length=3), nullable=True))
    connection = op.get_bind()
    query = sa.select(products.c.sku, products.c.price_amount, products.c.price_currency)
    for sku, amount, currency in connection.execute(query).all():
        connection.execute(
            products.update()
            .where(products.c.sku == sku)
            .values(price=to_major(amount, currency), currency=currency)
        )
    with op.batch_alter_table("inventory_products") as batch:
        batch.alter_column("price", existing_type=sa.Numeric(12, 2), nullable=False)
        batch.alter_column("currency", existing_type=sa.String(length=3), nullable=False)
        batch.drop_constraint("ck_inventory_products_price_not_negative", type_="check")
        batch.create_check_constraint(
            op.f("ck_inventory_products_v1_price_not_negative"), "price >= 0"
        )
        batch.drop_column("price_amount")
        batch.drop_column("price_currency")
