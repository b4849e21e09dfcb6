"""Fill rows completed from the reflected table: deterministic, realistic, related."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from assay.contract.migrations import MigrationHarness
from assay.contract.migrations.rows import column_schema
from assay.errors import AssayError

HONEST = Path(__file__).resolve().parent / "alembic" / "honest"
Harness = Callable[..., MigrationHarness]


def _filled(harness: MigrationHarness) -> dict[str, list[dict[str, object]]]:
    harness.upgrade("0001")
    snapshot = harness.fill({"payments": 3, "refunds": lambda table: [{"reason": table.name}]})
    return {name: [dict(r) for r in rows.rows.values()] for name, rows in snapshot.tables.items()}


def test_generated_rows_are_complete_and_deterministic(assay_migration: Harness) -> None:
    first = _filled(assay_migration(HONEST, seed=7))
    assert first == _filled(assay_migration(HONEST, seed=7))
    assert first != _filled(assay_migration(HONEST, seed=8))
    payments = first["payments"]
    assert len({p["id"] for p in payments}) == 3
    for payment in payments:
        assert isinstance(payment["amount"], Decimal)
        assert payment["amount"] >= 0
        assert isinstance(payment["created_at"], dt.datetime)
        assert payment["customer"]
        assert len(str(payment["currency"])) <= 3
        assert payment["note"] is None  # nullable columns not given stay NULL
    (refund,) = first["refunds"]
    assert refund["id"] == 1  # the database's autoincrement
    assert refund["reason"] == "refunds"  # from the callable source
    assert refund["payment_id"] in {p["id"] for p in payments}


def _column(kind: sa.types.TypeEngine[Any]) -> sa.Column[Any]:
    return sa.Table("t", sa.MetaData(), sa.Column("c", kind)).c.c


@pytest.mark.parametrize(
    ("kind", "generated", "stored"),
    [
        (sa.Numeric(8, 3), 1234, Decimal("1.234")),
        (sa.Enum("a", "b", name="ab"), "b", "b"),
        (sa.DateTime(), "2024-01-02T03:04:05Z", dt.datetime(2024, 1, 2, 3, 4, 5)),
        (sa.Date(), "2024-01-02", dt.date(2024, 1, 2)),
        (sa.LargeBinary(), "ab", b"ab"),
    ],
)
def test_column_types_and_their_conversion(
    kind: sa.types.TypeEngine[object], generated: object, stored: object
) -> None:
    _, convert = column_schema(_column(kind))
    assert convert(generated) == stored


def test_an_unknown_column_type_is_named() -> None:
    with pytest.raises(AssayError, match=r"t.c: assay cannot generate values.*Give 'c'"):
        column_schema(_column(sa.ARRAY(sa.Integer)))


def test_integer_keys_are_left_to_the_database_only_when_it_fills_them() -> None:
    from assay.contract.migrations.rows import TableFiller
    from assay.contract.migrations.snapshots import Snapshot

    metadata = sa.MetaData()
    auto = sa.Table("auto", metadata, sa.Column("id", sa.Integer, primary_key=True))
    plain = sa.Table(
        "plain", metadata, sa.Column("id", sa.Integer, primary_key=True, autoincrement=False)
    )
    empty = Snapshot("1", {})
    assert TableFiller(auto, empty, 0).rows(2) == [{}, {}]
    ids = [row["id"] for row in TableFiller(plain, empty, 0).rows(3)]
    assert len(set(ids)) == 3
    assert all(isinstance(i, int) for i in ids)
