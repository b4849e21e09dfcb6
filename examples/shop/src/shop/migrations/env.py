"""Alembic environment of the shop: every service table plus identity's.

Run through ``shop migrate`` or ``create_app(..., migrate=True)`` (which pass the app's
engine), or plain ``alembic`` with ``sqlalchemy.url`` / ``SHOP_DATABASE_URL`` set.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from shop.identity import identity_metadata
from shop.platform.database import Base, make_engine
from shop.platform.schema import import_table_modules
from shop.platform.settings import ShopSettings

config = context.config
import_table_modules()  # every service's tables onto Base.metadata
target_metadata = [Base.metadata, identity_metadata]


def _url() -> str:
    return config.get_main_option("sqlalchemy.url") or ShopSettings.from_env().database_url


def run_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    given = config.attributes.get("engine")
    engine = given if isinstance(given, Engine) else make_engine(_url())
    try:
        with engine.connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            if sqlite:
                # Batch migrations copy a table, drop the old one and rename the copy; with
                # foreign keys on, the drop cascades to (deletes) the rows referencing it.
                # SQLite ignores this pragma inside a transaction: set it before.
                connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            try:
                context.configure(
                    connection=connection,
                    target_metadata=target_metadata,
                    render_as_batch=sqlite,
                    compare_type=True,
                )
                with context.begin_transaction():
                    context.run_migrations()
                connection.commit()
            finally:
                if sqlite:
                    connection.exec_driver_sql("PRAGMA foreign_keys=ON")
    finally:
        if given is None:
            engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
