"""A deliberately broken version of the minor-units migration, for the harness's tests.

It converts through a float (19.99 becomes 1998), converts only captured payments
(the others keep NULL, which the column allows), deletes void payments, enforces
nothing, and its downgrade forgets to divide by 100.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

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
    sa.column("status", sa.String),
    sa.column("amount_minor", sa.BigInteger),
)


def upgrade() -> None:
    with op.batch_alter_table("payments") as batch:
        batch.add_column(sa.Column("amount_minor", sa.BigInteger(), nullable=True))
    bind = op.get_bind()
    bind.execute(payments.delete().where(payments.c.status == "void"))
    query = sa.select(payments.c.id, payments.c.amount).where(payments.c.status == "captured")
    for key, amount in bind.execute(query).all():
        change = payments.update().where(payments.c.id == key)
        bind.execute(change.values(amount_minor=int(float(amount) * 100)))
    with op.batch_alter_table("payments") as batch:
        batch.drop_column("amount")


def downgrade() -> None:
    with op.batch_alter_table("payments") as batch:
        batch.add_column(sa.Column("amount", sa.Numeric(10, 2), nullable=True))
    bind = op.get_bind()
    for key, minor in bind.execute(sa.select(payments.c.id, payments.c.amount_minor)).all():
        bind.execute(payments.update().where(payments.c.id == key).values(amount=minor))
    with op.batch_alter_table("payments") as batch:
        batch.drop_column("amount_minor")
