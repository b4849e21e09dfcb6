"""The ``assay_migration`` fixture: fresh SQLite files, and a PostgreSQL server that is
down skips the test locally and fails it under ``CI=true``."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]
# In a subprocess: an in-process run would re-import the database drivers it loads.
pytestmark = pytest.mark.slow  # each runs pytest in a fresh process

HONEST = Path(__file__).resolve().parent / "alembic" / "honest"

TESTS = f"""
HONEST = {str(HONEST)!r}


def test_two_harnesses_get_two_databases(assay_migration):
    first, second = assay_migration(HONEST), assay_migration(HONEST, seed=3)
    assert first.database_url != second.database_url
    assert first.upgrade("head") == "0002"
    assert second.current == "base"


def test_a_server_that_is_down(assay_migration):
    assay_migration(HONEST, server="postgresql+psycopg://postgres@127.0.0.1:1")
"""


def test_locally_a_server_that_is_down_skips(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    pytester.makepyfile(test_migrations=TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-rs")
    result.assert_outcomes(passed=1, skipped=1)
    result.stdout.fnmatch_lines(["*assay_migration: cannot create a scratch database on*"])


def test_under_ci_a_server_that_is_down_fails(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")
    pytester.makepyfile(test_migrations=TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-k", "down")
    result.assert_outcomes(failed=1, deselected=1)
