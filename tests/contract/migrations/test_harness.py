"""`MigrationHarness` on throwaway Alembic scripts: an honest money migration passes, a
broken one is reported with the right findings and evidence (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from tests.contract.migrations.payments_app import make_app

from assay.contract.migrations import MigratedApi, MigratedTable, MigrationHarness, rule
from assay.errors import AssayError, Finding

SCRIPTS = Path(__file__).resolve().parent / "alembic"
HONEST, BROKEN = SCRIPTS / "honest", SCRIPTS / "broken"
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"

Harness = Callable[..., MigrationHarness]

PAYMENTS = [
    {"id": "pay-1", "amount": Decimal("19.99"), "currency": "EUR", "status": "captured"},
    {"id": "pay-2", "amount": Decimal("0.29"), "currency": "USD", "status": "captured"},
    {"id": "pay-3", "amount": Decimal("120.00"), "currency": "GBP", "status": "pending"},
    {"id": "pay-4", "amount": Decimal("5.00"), "currency": "EUR", "status": "void"},
]
FILL: dict[str, Any] = {"payments": PAYMENTS, "refunds": [{"payment_id": "pay-1"}, {}]}


def _in_minor_units(old: Any, new: Any) -> bool:
    return bool(new["amount_minor"] == old["amount"] * 100)


def expectations() -> list[MigratedTable]:
    return [
        MigratedTable("payments")
        .keeps_rows()
        .rule("amount in minor units", _in_minor_units)
        .not_null("amount_minor")
        .rejects({"amount_minor": -1}, "a negative amount"),
        MigratedTable("refunds").keeps_rows(),
    ]


def api() -> MigratedApi:
    return MigratedApi(make_app).get("/payments/{id}", each="payments").get("/payments")


def _run(harness: MigrationHarness, **options: Any) -> Any:
    settings: dict[str, Any] = {
        "fill": FILL,
        "expect": expectations(),
        "reversible": True,
        "api": api(),
        "raise_findings": False,
    }
    return harness.run("0001", **{**settings, **options})


def _by_check(findings: list[Finding]) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        grouped.setdefault(finding.check, []).append(finding)
    return grouped


def test_an_honest_migration_passes(assay_migration: Harness) -> None:
    report = _run(assay_migration(HONEST))
    assert report.findings == []
    assert (report.start, report.target) == ("0001", "0002")
    assert report.filled.counts() == {"payments": 4, "refunds": 2}
    minor = {key[0]: row["amount_minor"] for key, row in report.migrated["payments"].rows.items()}
    assert minor == {"pay-1": 1999, "pay-2": 29, "pay-3": 12000, "pay-4": 500}
    assert report.restored is not None
    assert report.restored["payments"].rows[("pay-2",)]["amount"] == Decimal("0.29")
    assert report.requests == 5  # four payments one by one, and the list


def test_a_broken_migration_is_reported(assay_migration: Harness) -> None:
    report = _run(assay_migration(BROKEN))
    found = _by_check(report.findings)
    assert set(found) == {
        "migration_rows_lost",
        "migration_rule_broken",
        "migration_constraint_broken",
        "migration_not_reversible",
        "migration_response_violation",
    }
    (lost,) = found["migration_rows_lost"]
    assert lost.evidence["table"] == "payments"
    assert lost.evidence["lost"] == [{"id": "pay-4"}]
    (broken,) = found["migration_rule_broken"]
    assert broken.evidence["broken"] == 4
    first = broken.evidence["rows"][0]
    assert first["key"] == {"id": "pay-1"}
    assert first["old"]["amount"] == "19.99"
    assert first["new"]["amount_minor"] == 1998  # through a float
    reasons = {row["key"]["id"]: row["reason"] for row in broken.evidence["rows"]}
    assert reasons["pay-4"] == "the row is gone"
    (constraint,) = found["migration_constraint_broken"]
    assert constraint.evidence["problems"] == [
        "amount_minor may hold NULL",
        "amount_minor holds NULL in 1 rows",
        "the database accepts a negative amount (amount_minor=-1)",
    ]
    (reversal,) = found["migration_not_reversible"]
    differences = {(d["key"]["id"], d["column"]): d for d in reversal.evidence["differences"]}
    assert differences[("pay-1", "amount")]["after"] == "1998.00"
    assert differences[("pay-4", "(row)")]["after"] is None
    paths = sorted(f.evidence["path"] for f in found["migration_response_violation"])
    assert paths == ["/payments", "/payments/pay-3"]


def test_the_response_violation_has_the_row_and_the_schema_problem(
    assay_migration: Harness,
) -> None:
    report = _run(assay_migration(BROKEN), expect=[], reversible=False)
    (one, _) = sorted(report.findings, key=lambda f: f.evidence["path"], reverse=True)
    assert one.check == "migration_response_violation"
    assert one.evidence["table"] == "payments"
    assert one.evidence["row"]["amount_minor"] is None
    assert "amount_minor" in " ".join(one.evidence["problems"])
    assert one.reproduction is not None
    assert "/payments/pay-3" in one.reproduction.curl


def test_run_raises_the_findings_by_default(assay_migration: Harness) -> None:
    with pytest.raises(Finding) as info:
        assay_migration(BROKEN).run("0001", fill=FILL, expect=expectations())
    assert info.value.check == "migration_rows_lost"
    assert "Also found:\n  - [migration_rule_broken]" in str(info.value)


def test_a_migration_that_fails_on_the_data_is_a_finding(assay_migration: Harness) -> None:
    negative = [{"id": "pay-9", "amount": Decimal("-1.00")}]
    report = _run(assay_migration(HONEST), fill={"payments": negative}, expect=[])
    (failed,) = report.findings
    assert failed.check == "migration_failed"
    assert "a negative amount (-1.00) cannot be migrated" in failed.evidence["error"]
    assert report.migrated is None


def test_a_downgrade_that_raises_is_not_reversible(
    assay_migration: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    harness = assay_migration(HONEST)

    def refuse(revision: str) -> None:
        raise NotImplementedError("one-way migration")

    monkeypatch.setattr(harness.revisions, "downgrade", refuse)
    report = _run(harness, api=None)
    (finding,) = report.findings
    assert finding.check == "migration_not_reversible"
    assert "NotImplementedError: one-way migration" in finding.evidence["error"]


def test_round_trip_declares_how_a_column_comes_back(assay_migration: Harness) -> None:
    lower = [{**PAYMENTS[0], "currency": "eur"}]
    upper = MigratedTable("payments").round_trip(currency=str.upper)
    report = _run(assay_migration(BROKEN), fill={"payments": lower}, expect=[upper], api=None)
    (finding,) = report.findings  # the amount, not the currency the scripts keep
    assert {d["column"] for d in finding.evidence["differences"]} == {"amount", "currency"}
    same = MigratedTable("payments").round_trip(currency=str.lower)
    report = _run(assay_migration(HONEST), fill={"payments": lower}, expect=[same], api=None)
    assert report.findings == []


def test_the_rule_shorthand_and_a_rule_on_a_column_the_migration_dropped(
    assay_migration: Harness,
) -> None:
    kept = rule("payments", "amount kept", lambda old, new: new["amount"] == old["amount"])
    report = _run(assay_migration(HONEST), expect=[kept], reversible=False, api=None)
    (finding,) = report.findings
    assert finding.check == "migration_rule_broken"
    assert finding.evidence["rows"][0]["reason"] == "column 'amount' is missing after the migration"


def test_a_rule_reading_an_unknown_old_column_is_misuse(assay_migration: Harness) -> None:
    typo = rule("payments", "typo", lambda old, new: old["amount_major"] is not None)
    with pytest.raises(AssayError, match="payments has no column 'amount_major' at revision 0001"):
        _run(assay_migration(HONEST), expect=[typo], api=None)


@pytest.mark.postgres
def test_on_postgresql_honest_passes_and_broken_is_reported(assay_migration: Harness) -> None:
    assert _run(assay_migration(HONEST, server=PG_SERVER)).findings == []
    report = _run(assay_migration(BROKEN, server=PG_SERVER))
    assert {f.check for f in report.findings} == {
        "migration_rows_lost",
        "migration_rule_broken",
        "migration_constraint_broken",
        "migration_not_reversible",
        "migration_response_violation",
    }


def test_extra_checks_run_on_the_migrated_database(assay_migration: Harness) -> None:
    harness = assay_migration(HONEST)
    seen: list[str] = []

    def extra(url: str) -> list[Finding]:
        seen.append(url)
        return [Finding("an extra check fired", check="custom")]

    report = _run(harness, api=MigratedApi(make_app).also(extra))
    assert [f.check for f in report.findings] == ["custom"]
    assert seen == [harness.database_url]


def test_not_null_names_a_column_the_migration_did_not_create(assay_migration: Harness) -> None:
    declared = (
        MigratedTable("payments")
        .not_null("amount_minor", "amount_cents")
        .rejects({"amount_cents": -1}, "negative cents")
    )
    report = _run(assay_migration(HONEST), expect=[declared], reversible=False, api=None)
    (finding,) = report.findings
    assert finding.evidence["problems"] == [
        "amount_cents is missing after the migration",
        "amount_cents missing: cannot try negative cents",
    ]


def test_without_the_db_extra_the_error_says_what_to_install() -> None:
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['alembic'] = None\n"
        "from assay.errors import AssayError\n"
        "try:\n"
        "    from assay import MigrationHarness\n"
        "except AssayError as exc:\n"
        "    print(exc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pip install 'assay[db]'" in out.stdout


def test_an_answer_with_another_status_is_a_violation(assay_migration: Harness) -> None:
    reads = MigratedApi(make_app).get("/payments/nope").get("/payments/gone", status=404)
    report = _run(assay_migration(HONEST), expect=[], api=reads)
    (finding,) = report.findings  # the documented 404 asked for is fine
    assert finding.evidence["path"] == "/payments/nope"
    assert finding.evidence["problems"] == ["answered 404, expected 200"]
