"""Initial schema: every service's tables and identity's, with v1 product prices.

In v1 a product price was a decimal amount in major units (``price NUMERIC(12, 2)``)
next to ``currency``; revision 0002 moves it to integer minor units.

Revision ID: 0001
Revises:
Create Date: 2026-11-25 18:09:29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shop.identity.tables import EpochTime

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:  # noqa: PLR0915 - one statement per table
    op.create_table(
        "allocation_products",
        sa.Column("sku", sa.String(length=63), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("sku", name=op.f("pk_allocation_products")),
    )
    op.create_table(
        "inventory_products",
        sa.Column("sku", sa.String(length=63), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("price", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("price >= 0", name=op.f("ck_inventory_products_v1_price_not_negative")),
        sa.PrimaryKeyConstraint("sku", name=op.f("pk_inventory_products")),
    )
    with op.batch_alter_table("inventory_products", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inventory_products_name"), ["name"], unique=False)

    op.create_table(
        "inventory_reservations",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("order_id", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inventory_reservations")),
        sa.UniqueConstraint(
            "idempotency_key", name=op.f("uq_inventory_reservations_idempotency_key")
        ),
    )
    with op.batch_alter_table("inventory_reservations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inventory_reservations_order_id"), ["order_id"], unique=False
        )

    op.create_table(
        "orders_orders",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("customer", sa.String(length=200), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("total_minor", sa.BigInteger(), nullable=False),
        sa.Column("payment_method", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("failure", sa.String(length=64), nullable=True),
        sa.Column("cancel_requested", sa.Boolean(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orders_orders")),
    )
    with op.batch_alter_table("orders_orders", schema=None) as batch_op:
        batch_op.create_index("ix_orders_orders_created", ["created_at", "id"], unique=False)
        batch_op.create_index(
            "ix_orders_orders_customer_created", ["customer", "created_at", "id"], unique=False
        )
        batch_op.create_index("ix_orders_orders_unfinished", ["status", "updated_at"], unique=False)

    op.create_table(
        "orders_placements",
        sa.Column("scope", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("order_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("snapshot", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("scope", "key", name=op.f("pk_orders_placements")),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("message_id", sa.String(length=64), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("message_id", name=op.f("uq_outbox_message_id")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_pending", ["sent_at", "id"], unique=False)

    op.create_table(
        "payments_idempotency_keys",
        sa.Column("scope", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("scope", "key", name=op.f("pk_payments_idempotency_keys")),
    )
    op.create_table(
        "payments_payments",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("customer", sa.String(length=200), nullable=False),
        sa.Column("order_id", sa.String(length=64), nullable=True),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("method", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("captured_minor", sa.BigInteger(), nullable=False),
        sa.Column("decline_reason", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "amount_minor >= 0", name=op.f("ck_payments_payments_amount_not_negative")
        ),
        sa.CheckConstraint(
            "captured_minor <= amount_minor",
            name=op.f("ck_payments_payments_captured_within_amount"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments_payments")),
    )
    with op.batch_alter_table("payments_payments", schema=None) as batch_op:
        batch_op.create_index("ix_payments_payments_created", ["created_at", "id"], unique=False)
        batch_op.create_index(
            "ix_payments_payments_customer_created", ["customer", "created_at", "id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_payments_payments_order_id"), ["order_id"], unique=False
        )

    op.create_table(
        "processed_messages",
        sa.Column("consumer", sa.String(length=200), nullable=False),
        sa.Column("message_id", sa.String(length=64), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "message_id", name=op.f("pk_processed_messages")),
    )
    op.create_table(
        "allocation_batches",
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.Column("sku", sa.String(length=63), nullable=False),
        sa.Column("purchased_quantity", sa.Integer(), nullable=False),
        sa.Column("eta", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sku"],
            ["allocation_products.sku"],
            name=op.f("fk_allocation_batches_sku_allocation_products"),
        ),
        sa.PrimaryKeyConstraint("reference", name=op.f("pk_allocation_batches")),
    )
    with op.batch_alter_table("allocation_batches", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_allocation_batches_sku"), ["sku"], unique=False)

    op.create_table(
        "inventory_reservation_lines",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("reservation_id", sa.String(length=64), nullable=False),
        sa.Column("sku", sa.String(length=63), nullable=False),
        sa.Column("warehouse", sa.String(length=32), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["reservation_id"],
            ["inventory_reservations.id"],
            name=op.f("fk_inventory_reservation_lines_reservation_id_inventory_reservations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inventory_reservation_lines")),
    )
    with op.batch_alter_table("inventory_reservation_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inventory_reservation_lines_reservation_id"),
            ["reservation_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_inventory_reservation_lines_stock", ["sku", "warehouse"], unique=False
        )

    op.create_table(
        "inventory_stock",
        sa.Column("sku", sa.String(length=63), nullable=False),
        sa.Column("warehouse", sa.String(length=32), nullable=False),
        sa.Column("on_hand", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sku"],
            ["inventory_products.sku"],
            name=op.f("fk_inventory_stock_sku_inventory_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("sku", "warehouse", name=op.f("pk_inventory_stock")),
    )
    op.create_table(
        "orders_lines",
        sa.Column("order_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=63), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("unit_price_minor", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("qty > 0", name=op.f("ck_orders_lines_qty_positive")),
        sa.CheckConstraint(
            "unit_price_minor >= 0", name=op.f("ck_orders_lines_price_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders_orders.id"], name=op.f("fk_orders_lines_order_id_orders_orders")
        ),
        sa.PrimaryKeyConstraint("order_id", "position", name=op.f("pk_orders_lines")),
    )
    op.create_table(
        "orders_saga_steps",
        sa.Column("order_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("target", sa.String(length=63), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=True),
        sa.Column("detail", sa.String(length=500), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders_orders.id"],
            name=op.f("fk_orders_saga_steps_order_id_orders_orders"),
        ),
        sa.PrimaryKeyConstraint("order_id", "seq", name=op.f("pk_orders_saga_steps")),
    )
    op.create_table(
        "payments_refunds",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("payment_id", sa.String(length=64), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount_minor > 0", name=op.f("ck_payments_refunds_amount_positive")),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["payments_payments.id"],
            name=op.f("fk_payments_refunds_payment_id_payments_payments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments_refunds")),
    )
    with op.batch_alter_table("payments_refunds", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_payments_refunds_payment_id"), ["payment_id"], unique=False
        )

    op.create_table(
        "allocation_lines",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("batch_reference", sa.String(length=64), nullable=False),
        sa.Column("order_id", sa.String(length=100), nullable=False),
        sa.Column("sku", sa.String(length=63), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_reference"],
            ["allocation_batches.reference"],
            name=op.f("fk_allocation_lines_batch_reference_allocation_batches"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allocation_lines")),
        sa.UniqueConstraint("order_id", "sku", name="uq_allocation_lines_order_sku"),
    )
    with op.batch_alter_table("allocation_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_allocation_lines_batch_reference"), ["batch_reference"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_allocation_lines_order_id"), ["order_id"], unique=False
        )

    op.create_table(
        "identity_api_keys",
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=12), nullable=False),
        sa.Column("service", sa.String(length=100), nullable=False),
        sa.Column("scopes", sa.String(length=1000), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.Column("created_at", EpochTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key_hash", name=op.f("pk_identity_api_keys")),
    )
    with op.batch_alter_table("identity_api_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_identity_api_keys_prefix"), ["prefix"], unique=False)

    op.create_table(
        "identity_clients",
        sa.Column("client_id", sa.String(length=100), nullable=False),
        sa.Column("secret_hash", sa.String(length=200), nullable=False),
        sa.Column("scopes", sa.String(length=1000), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", EpochTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("client_id", name=op.f("pk_identity_clients")),
    )
    op.create_table(
        "identity_revoked_tokens",
        sa.Column("jti", sa.String(length=64), nullable=False),
        sa.Column("expires_at", EpochTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("jti", name=op.f("pk_identity_revoked_tokens")),
    )
    with op.batch_alter_table("identity_revoked_tokens", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_identity_revoked_tokens_expires_at"), ["expires_at"], unique=False
        )

    op.create_table(
        "identity_users",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("roles", sa.String(length=200), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", EpochTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_users")),
        sa.UniqueConstraint("email", name=op.f("uq_identity_users_email")),
    )
    op.create_table(
        "identity_console_sessions",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", EpochTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", EpochTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["identity_users.id"],
            name=op.f("fk_identity_console_sessions_user_id_identity_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id_hash", name=op.f("pk_identity_console_sessions")),
    )
    with op.batch_alter_table("identity_console_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_identity_console_sessions_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "identity_refresh_families",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("client_id", sa.String(length=100), nullable=True),
        sa.Column("scope", sa.String(length=1000), nullable=False),
        sa.Column("created_at", EpochTime(timezone=True), nullable=False),
        sa.Column("expires_at", EpochTime(timezone=True), nullable=False),
        sa.Column("revoked_at", EpochTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["identity_users.id"],
            name=op.f("fk_identity_refresh_families_user_id_identity_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_refresh_families")),
    )
    op.create_table(
        "identity_refresh_tokens",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("family_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", EpochTime(timezone=True), nullable=False),
        sa.Column("used_at", EpochTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["family_id"],
            ["identity_refresh_families.id"],
            name=op.f("fk_identity_refresh_tokens_family_id_identity_refresh_families"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_identity_refresh_tokens")),
    )
    with op.batch_alter_table("identity_refresh_tokens", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_identity_refresh_tokens_family_id"), ["family_id"], unique=False
        )


def downgrade() -> None:  # noqa: PLR0915
    with op.batch_alter_table("identity_refresh_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_identity_refresh_tokens_family_id"))

    op.drop_table("identity_refresh_tokens")
    op.drop_table("identity_refresh_families")
    with op.batch_alter_table("identity_console_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_identity_console_sessions_user_id"))

    op.drop_table("identity_console_sessions")
    op.drop_table("identity_users")
    with op.batch_alter_table("identity_revoked_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_identity_revoked_tokens_expires_at"))

    op.drop_table("identity_revoked_tokens")
    op.drop_table("identity_clients")
    with op.batch_alter_table("identity_api_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_identity_api_keys_prefix"))

    op.drop_table("identity_api_keys")
    with op.batch_alter_table("allocation_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_allocation_lines_order_id"))
        batch_op.drop_index(batch_op.f("ix_allocation_lines_batch_reference"))

    op.drop_table("allocation_lines")
    with op.batch_alter_table("payments_refunds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payments_refunds_payment_id"))

    op.drop_table("payments_refunds")
    op.drop_table("orders_saga_steps")
    op.drop_table("orders_lines")
    op.drop_table("inventory_stock")
    with op.batch_alter_table("inventory_reservation_lines", schema=None) as batch_op:
        batch_op.drop_index("ix_inventory_reservation_lines_stock")
        batch_op.drop_index(batch_op.f("ix_inventory_reservation_lines_reservation_id"))

    op.drop_table("inventory_reservation_lines")
    with op.batch_alter_table("allocation_batches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_allocation_batches_sku"))

    op.drop_table("allocation_batches")
    op.drop_table("processed_messages")
    with op.batch_alter_table("payments_payments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payments_payments_order_id"))
        batch_op.drop_index("ix_payments_payments_customer_created")
        batch_op.drop_index("ix_payments_payments_created")

    op.drop_table("payments_payments")
    op.drop_table("payments_idempotency_keys")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_pending")

    op.drop_table("outbox")
    op.drop_table("orders_placements")
    with op.batch_alter_table("orders_orders", schema=None) as batch_op:
        batch_op.drop_index("ix_orders_orders_unfinished")
        batch_op.drop_index("ix_orders_orders_customer_created")
        batch_op.drop_index("ix_orders_orders_created")

    op.drop_table("orders_orders")
    with op.batch_alter_table("inventory_reservations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inventory_reservations_order_id"))

    op.drop_table("inventory_reservations")
    with op.batch_alter_table("inventory_products", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inventory_products_name"))

    op.drop_table("inventory_products")
    op.drop_table("allocation_products")
