"""Payment amounts in integer minor units, converted exactly (and back on downgrade).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

payments = sa.table(
    "payments",
    sa.column("id", sa.String),
    sa.column("amount", sa.Numeric(10, 2)),
    sa.column("amount_minor", sa.BigInteger),
)


def to_minor(amount: Decimal) -> int:
    if amount < 0:
        raise ValueError(f"a negative amount ({amount}) cannot be migrated")
    return int(Decimal(amount).scaleb(2))


def upgrade() -> None:
    with op.batch_alter_table("payments") as batch:
        batch.add_column(sa.Column("amount_minor", sa.BigInteger(), nullable=True))
    bind = op.get_bind()
    for key, amount in bind.execute(sa.select(payments.c.id, payments.c.amount)).all():
        change = payments.update().where(payments.c.id == key)
        bind.execute(change.values(amount_minor=to_minor(amount)))
    with op.batch_alter_table("payments") as batch:
        batch.alter_column("amount_minor", existing_type=sa.BigInteger(), nullable=False)
        batch.create_check_constraint("ck_payments_amount_minor", "amount_minor >= 0")
        batch.drop_column("amount")


def downgrade() -> None:
    with op.batch_alter_table("payments") as batch:
        batch.add_column(sa.Column("amount", sa.Numeric(10, 2), nullable=True))
    bind = op.get_bind()
    query = sa.select(payments.c.id, payments.c.amount_minor)
    for key, minor in bind.execute(query).all():
        change = payments.update().where(payments.c.id == key)
        bind.execute(change.values(amount=Decimal(minor).scaleb(-2)))
    with op.batch_alter_table("payments") as batch:
        batch.alter_column("amount", existing_type=sa.Numeric(10, 2), nullable=False)
        batch.drop_constraint("ck_payments_amount_minor", type_="check")
        batch.drop_column("amount_minor")
