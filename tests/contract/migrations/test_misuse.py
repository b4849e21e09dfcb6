"""Misuse of the migration harness is an `AssayError` that says what to do."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from alembic.config import Config

from assay.contract.migrations import (
    MigratedApi,
    MigratedTable,
    MigrationHarness,
    scratch_database,
)
from assay.errors import AssayError

HONEST = Path(__file__).resolve().parent / "alembic" / "honest"
Harness = Callable[..., MigrationHarness]


def test_an_unknown_revision_lists_the_known_ones(assay_migration: Harness) -> None:
    harness = assay_migration(HONEST)
    with pytest.raises(AssayError, match=r"unknown Alembic revision '0042'.*0001, 0002"):
        harness.run("0042", fill={})
    with pytest.raises(AssayError, match="unknown Alembic revision 'nope'"):
        harness.run("0001", "nope", fill={})


def test_the_head_has_no_next_revision(assay_migration: Harness) -> None:
    with pytest.raises(AssayError, match="revision 0002 is a head"):
        assay_migration(HONEST).run("head", fill={})


def test_no_alembic_configuration(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    with pytest.raises(AssayError, match=r"no Alembic configuration at .*missing"):
        MigrationHarness(tmp_path / "missing", url)
    with pytest.raises(AssayError, match=r"has no env\.py"):
        MigrationHarness(tmp_path, url)
    with pytest.raises(AssayError, match="names no script_location"):
        MigrationHarness(Config(), url)


def test_an_alembic_config_and_an_ini_file_are_accepted(tmp_path: Path) -> None:
    config = Config()
    config.set_main_option("script_location", str(HONEST))
    ini = tmp_path / "alembic.ini"
    ini.write_text(f"[alembic]\nscript_location = {HONEST}\n", encoding="utf-8")
    for source in (config, ini):
        with MigrationHarness(source, f"sqlite:///{tmp_path / 'x.db'}") as harness:
            assert harness.upgrade("head") == "0002"
            assert harness.current == "0002"
            harness.downgrade("base")


def test_an_unreachable_database(tmp_path: Path) -> None:
    with pytest.raises(AssayError, match=r"cannot connect to the database .*127\.0\.0\.1:1"):
        MigrationHarness(HONEST, "postgresql+psycopg://postgres@127.0.0.1:1/none")
    with pytest.raises(AssayError, match="cannot use the database URL"):
        MigrationHarness(HONEST, "nodb://x")
    scratch = scratch_database("postgresql+psycopg://postgres@127.0.0.1:1")
    with pytest.raises(AssayError, match="cannot create a scratch database"), scratch:
        pass


def test_fill_mistakes(assay_migration: Harness) -> None:
    harness = assay_migration(HONEST)
    harness.upgrade("0001")
    with pytest.raises(AssayError, match=r"cannot fill orders: no such table at revision 0001"):
        harness.fill({"orders": 1})
    with pytest.raises(AssayError, match=r"name columns it does not have.*amount_minor"):
        harness.fill({"payments": [{"amount_minor": 5}]})
    with pytest.raises(AssayError, match=r"refunds\.payment_id references payments, which has no"):
        harness.fill({"refunds": 1})
    with pytest.raises(AssayError, match="two fill rows for payments share id"):
        harness.fill({"payments": [{"id": "a"}, {"id": "a"}]})
    with pytest.raises(AssayError, match="a fill row for payments is str"):
        harness.fill({"payments": ["row"]})  # type: ignore[list-item]


def test_a_row_the_database_refuses(assay_migration: Harness) -> None:
    harness = assay_migration(HONEST)
    harness.upgrade("0001")
    with pytest.raises(AssayError, match="the database refused the rows for refunds"):
        harness.fill({"payments": 1, "refunds": [{"reason": None}]})


def test_expectations_for_a_table_that_was_not_filled(assay_migration: Harness) -> None:
    with pytest.raises(AssayError, match="expectations for refunds, which was not filled"):
        assay_migration(HONEST).run(
            "0001", fill={"payments": 1}, expect=[MigratedTable("refunds").keeps_rows()]
        )


def test_declaration_mistakes() -> None:
    with pytest.raises(AssayError, match="needs a table name"):
        MigratedTable("")
    with pytest.raises(AssayError, match="the check is int"):
        MigratedTable("payments").rule("x", 3)  # type: ignore[arg-type]
    with pytest.raises(AssayError, match="needs the change to try"):
        MigratedTable("payments").rejects({})
    with pytest.raises(AssayError, match="builds the app for a database URL"):
        MigratedApi("app")  # type: ignore[arg-type]
    with pytest.raises(AssayError, match="has placeholders but names no table"):
        MigratedApi(lambda url: None).get("/payments/{id}")
    with pytest.raises(AssayError, match="also\\(\\) takes a callable"):
        MigratedApi(lambda url: None).also("run_engine")  # type: ignore[arg-type]


def test_a_read_over_a_table_that_was_not_filled(assay_migration: Harness) -> None:
    from tests.contract.migrations.payments_app import make_app

    api = MigratedApi(make_app).get("/refunds/{id}", each="refunds")
    with pytest.raises(AssayError, match="each='refunds' names a table that was not filled"):
        assay_migration(HONEST).run("0001", fill={"payments": 1}, api=api)
    api = MigratedApi(make_app).get("/payments/{code}", each="payments")
    with pytest.raises(AssayError, match=r"names \{code\}, which payments does not have"):
        assay_migration(HONEST).run("0001", fill={"payments": 1}, api=api)
