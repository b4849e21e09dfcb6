"""Alembic migrations: they build exactly the models' schema, and 0002 converts money."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import IntegrityError
from starlette.testclient import TestClient

from assay import PostgresDatabase
from shop.bootstrap import create_app
from shop.identity import identity_metadata
from shop.platform.database import Base, make_engine
from shop.platform.schema import alembic_config, import_table_modules, upgrade_schema
from shop.platform.settings import ShopSettings

from .fake_service import Widget


def _differences(engine: Engine) -> list[Any]:
    import_table_modules()
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        both: Any = [Base.metadata, identity_metadata]  # a list works; the stub says one
        found = compare_metadata(context, both)
    # the platform tests' own table is not part of the shop's schema
    return [d for d in found if Widget.__tablename__ not in str(d)]


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'shop.db'}")
    yield engine
    engine.dispose()


def test_migrations_build_the_schema_of_the_models(sqlite_engine: Engine) -> None:
    upgrade_schema(sqlite_engine)
    assert _differences(sqlite_engine) == [], "add a migration for the model changes"


def test_0002_converts_v1_prices_to_minor_units_and_back(sqlite_engine: Engine) -> None:
    config = alembic_config(sqlite_engine)
    command.upgrade(config, "0001")
    insert = text(
        "INSERT INTO inventory_products (sku, name, price, currency, attributes, version) "
        "VALUES (:sku, :sku, :price, :currency, '{}', 1)"
    )
    with sqlite_engine.begin() as connection:
        for sku, price, currency in (("LAMP", "12.99", "eur"), ("TEA", "1500", "JPY")):
            connection.execute(insert, {"sku": sku, "price": price, "currency": currency})
    command.upgrade(config, "0002")
    with sqlite_engine.connect() as connection:
        ddl = connection.execute(
            text("SELECT sql FROM sqlite_master WHERE name = 'inventory_products'")
        ).scalar_one()
    assert "CONSTRAINT ck_inventory_products_price_not_negative CHECK" in ddl
    with pytest.raises(IntegrityError), sqlite_engine.begin() as connection:
        connection.execute(text("UPDATE inventory_products SET price_amount = -1"))
    query = "SELECT sku, price_amount, price_currency FROM inventory_products ORDER BY sku"
    with sqlite_engine.connect() as connection:
        assert [tuple(r) for r in connection.execute(text(query))] == [
            ("LAMP", 1299, "EUR"),
            ("TEA", 1500, "JPY"),
        ]
    command.downgrade(config, "0001")
    with sqlite_engine.connect() as connection:
        rows = connection.execute(text("SELECT sku, price, currency FROM inventory_products"))
        assert {r[0]: (Decimal(str(r[1])), r[2]) for r in rows} == {
            "LAMP": (Decimal("12.99"), "EUR"),
            "TEA": (Decimal("1500"), "JPY"),
        }


def test_money_conversion_is_exact_or_refused() -> None:
    from importlib import import_module

    migration = import_module("shop.migrations.versions.0002_money_in_minor_units")
    assert migration.to_minor(Decimal("0.10"), "USD") == 10
    assert migration.to_minor(Decimal("1.234"), "KWD") == 1234
    with pytest.raises(ValueError, match="more decimals"):
        migration.to_minor(Decimal("1.005"), "EUR")


def test_app_can_migrate_at_start(tmp_path: Path) -> None:
    settings = ShopSettings(database_url=f"sqlite:///{tmp_path / 'shop.db'}", password_cost=4)
    app = create_app(settings, services=["inventory"], migrate=True)
    with TestClient(app) as client:
        token = client.post(
            "/v1/token",
            data={
                "grant_type": "password",
                "username": "staff@example.com",
                "password": settings.demo_password,
            },
        ).json()["access_token"]
        listing = client.get("/v2/products", headers={"Authorization": f"Bearer {token}"})
        assert listing.status_code == 200
    engine = create_engine(settings.database_url)
    with engine.connect() as connection:
        assert (
            connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0002"
        )
    engine.dispose()


@pytest.fixture
def pg_engine(empty_postgres_database: PostgresDatabase) -> Iterator[Engine]:
    """An empty database of the test's own (assay creates and drops it)."""
    engine = make_engine(empty_postgres_database.url)
    yield engine
    engine.dispose()


@pytest.mark.postgres
def test_migrations_on_postgresql(pg_engine: Engine) -> None:
    upgrade_schema(pg_engine)
    assert _differences(pg_engine) == []
    command.downgrade(alembic_config(pg_engine), "base")
    with pg_engine.connect() as connection:
        left = connection.execute(
            text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        ).scalar()
    assert left == 1  # only alembic_version
