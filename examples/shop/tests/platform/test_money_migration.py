"""The v1 → v2 money migration (0002) under assay's migration harness.

The database is filled at 0001 with realistic rows (products priced in several
currencies, their stock, orders with lines, payments), migrated to 0002, checked
against the money rules, migrated back and compared, migrated again, and then the
catalogue is read through both API versions: v1 against its frozen snapshot, v2 against
the live spec. On SQLite and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from assay.client import Identity
from assay.contract.migrations import MigratedApi, MigratedTable, MigrationHarness
from assay.engine.runner import run_engine
from assay.engine.settings import RunSettings
from assay.errors import Finding
from shop.bootstrap import create_app
from shop.platform.schema import MIGRATIONS
from shop.platform.settings import DEMO_PASSWORD, ShopSettings

V1_SNAPSHOT = Path(__file__).resolve().parents[2] / "contracts" / "v1.json"
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
EXPONENTS = {"JPY": 0, "KWD": 3}  # ISO 4217 minor units; 2 for the others used here

PRODUCTS = [
    {"sku": "LAMP-1", "name": "Desk lamp", "price": Decimal("12.99"), "currency": "eur"},
    {"sku": "TEA-JP", "name": "Sencha", "price": Decimal("1500"), "currency": "JPY"},
    {"sku": "DATES-KW", "name": "Dates", "price": Decimal("4.25"), "currency": "KWD"},
    {"sku": "PEN-US", "name": "Pen", "price": Decimal("0.10"), "currency": "USD"},
    {"sku": "GIFT", "name": "Gift wrap", "price": Decimal("0"), "currency": "GBP"},
    {"sku": "SOFA-XL", "name": "Sofa", "price": Decimal("9999999999.99"), "currency": "EUR"},
]
FILL: dict[str, Any] = {
    "inventory_products": [{**p, "attributes": {"colour": "black"}} for p in PRODUCTS],
    "inventory_stock": [
        {"sku": "LAMP-1", "warehouse": "east", "on_hand": 12},
        {"sku": "LAMP-1", "warehouse": "west", "on_hand": 0},
        {"sku": "TEA-JP", "warehouse": "east", "on_hand": 40},
    ],
    "orders_orders": 2,
    "orders_lines": [{"sku": "LAMP-1", "qty": 2, "unit_price_minor": 1299}],
    "payments_payments": [
        {"amount_minor": 2598, "captured_minor": 2598, "currency": "EUR"},
        {"amount_minor": 1500, "captured_minor": 0, "currency": "JPY"},
    ],
}


def _minor(old: Any) -> Decimal:
    currency = old["currency"].upper()
    return Decimal(old["price"]).scaleb(EXPONENTS.get(currency, 2))


PRODUCTS_MIGRATED = (
    MigratedTable("inventory_products")
    .keeps_rows()
    .rule("price in exact minor units", lambda old, new: new["price_amount"] == _minor(old))
    .rule("currency upper-cased", lambda old, new: new["price_currency"] == old["currency"].upper())
    .rule(
        "name and attributes untouched",
        lambda old, new: (new["name"], new["attributes"]) == (old["name"], old["attributes"]),
    )
    .not_null("price_amount", "price_currency")
    .rejects({"price_amount": -1}, "a negative price")
    .round_trip(currency=str.upper)
)
UNTOUCHED = [
    MigratedTable(name).keeps_rows()
    for name in ("inventory_stock", "orders_orders", "orders_lines", "payments_payments")
]


STAFF = Identity.oauth2_password("staff", "/v1/token", "staff@example.com", DEMO_PASSWORD)
CATALOGUE_READS = ("get_product", "list_products", "get_product_v2", "list_products_v2")


def shop_app(database_url: str) -> Any:
    return create_app(ShopSettings(database_url=database_url, password_cost=4))


def engine_on_the_catalogue(database_url: str) -> list[Finding]:
    """assay's engine, examples and boundary cases of the catalogue's reads only."""
    settings = RunSettings(
        phases=("examples", "boundary"),
        operations=CATALOGUE_READS,
        identities=(STAFF,),
        seed=1,
        max_examples=5,
        max_cases=20,
    )
    return run_engine(shop_app(database_url), settings=settings).findings


def shop_api() -> MigratedApi:
    """The catalogue's reads, v1 against its frozen snapshot, v2 against the live spec,
    then the engine over the same operations."""
    return (
        MigratedApi(shop_app, identity=STAFF)
        .get("/v2/products/{sku}", each="inventory_products")
        .get("/v2/products")
        .get("/v1/products/{sku}", each="inventory_products", spec=V1_SNAPSHOT)
        .get("/v1/products", spec=V1_SNAPSHOT)
        .also(engine_on_the_catalogue)
    )


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def harness(
    request: pytest.FixtureRequest, assay_migration: Callable[..., MigrationHarness]
) -> MigrationHarness:
    server = PG_SERVER if request.param == "postgresql" else None
    return assay_migration(MIGRATIONS, server=server, seed=2)


@pytest.mark.slow
def test_the_money_migration_keeps_the_data_and_the_contracts(harness: MigrationHarness) -> None:
    report = harness.run(
        "0001",
        fill=FILL,
        expect=[PRODUCTS_MIGRATED, *UNTOUCHED],
        reversible=True,
        api=shop_api(),
    )
    assert (report.start, report.target) == ("0001", "0002")
    assert report.migrated is not None
    prices = {
        key[0]: (row["price_amount"], row["price_currency"])
        for key, row in report.migrated["inventory_products"].rows.items()
    }
    assert prices["DATES-KW"] == (4250, "KWD")
    assert prices["SOFA-XL"] == (999999999999, "EUR")
    assert report.requests == 2 * len(PRODUCTS) + 2


def test_a_price_the_currency_cannot_hold_stops_the_migration(harness: MigrationHarness) -> None:
    fractional_yen = [{"sku": "TEA-JP", "price": Decimal("15.50"), "currency": "JPY"}]
    report = harness.run("0001", fill={"inventory_products": fractional_yen}, raise_findings=False)
    (finding,) = report.findings
    assert finding.check == "migration_failed"
    assert "price 15.50 JPY has more decimals than the currency" in finding.evidence["error"]
