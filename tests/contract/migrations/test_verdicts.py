"""Verdicts on hand-made snapshots: rows that appear, gone tables, exact round trips."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from assay.contract.migrations.snapshots import Row, Snapshot, TableRows, same_value
from assay.contract.migrations.tables import MigratedTable
from assay.contract.migrations.verdicts import lost_rows, round_trip_findings


def _rows(revision: str, *rows: dict[str, Any]) -> TableRows:
    keyed = {(row["id"],): Row("t", revision, row) for row in rows}
    return TableRows("t", revision, ("id",), tuple(rows[0]) if rows else ("id",), keyed)


def test_rows_that_appear_are_reported() -> None:
    before = _rows("1", {"id": 1})
    finding = lost_rows(before, _rows("2", {"id": 1}, {"id": 2}), "1 → 2")
    assert finding is not None
    assert finding.title == "t: 1 rows appear in the migration 1 → 2"
    assert finding.evidence["appeared"] == [{"id": 2}]
    assert lost_rows(before, _rows("2", {"id": 1}), "1 → 2") is None


def test_a_dropped_table_loses_every_row() -> None:
    finding = lost_rows(_rows("1", {"id": 1}, {"id": 2}), None, "1 → 2")
    assert finding is not None
    assert "loses 2 of 2 rows (the table is gone)" in finding.title


def test_a_round_trip_compares_values_not_representations() -> None:
    moment = dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC)
    before = Snapshot("1", {"t": _rows("1", {"id": 1, "amount": Decimal("12.50"), "at": moment})})
    naive = moment.replace(tzinfo=None)
    same = Snapshot("1", {"t": _rows("1", {"id": 1, "amount": 12.5, "at": naive})})
    assert round_trip_findings(before, same, {}, "2 → 1") == []
    changed = Snapshot("1", {"t": _rows("1", {"id": 1, "amount": 12.49, "at": naive})})
    (finding,) = round_trip_findings(before, changed, {"t": MigratedTable("t")}, "2 → 1")
    assert finding.evidence["differences"] == [
        {"key": {"id": 1}, "column": "amount", "before": "12.50", "after": 12.49}
    ]


def test_same_value() -> None:
    assert same_value(Decimal("1.0"), 1)
    assert not same_value(True, 1.5)
    assert same_value("a", "a")
    assert not same_value(None, 0)
