"""Schema migration testing: fill a database at Alembic revision N with realistic rows,
migrate it to N+1 (and back), and check the data transformation and the API on it.

* `MigrationHarness` — drives Alembic on one database and runs the steps.
* `MigratedTable` (and the `rule` shorthand) — what must hold for a table: rows kept,
  rules old → new by primary key, NOT NULL columns, changes the database must refuse,
  how columns come back after the round trip.
* `MigratedApi` — the reads to send to the app started on the migrated database, each
  checked against its contract (the live spec, or a frozen snapshot).
* `scratch_database` — a throwaway PostgreSQL database for one test.

SQLAlchemy and Alembic (the ``db`` extra) are imported when a name is first used.
"""

from __future__ import annotations

import importlib as _importlib
import typing as _typing

from assay.errors import AssayError

if _typing.TYPE_CHECKING:
    from assay.contract.migrations.database import scratch_database
    from assay.contract.migrations.harness import MigrationHarness, MigrationReport
    from assay.contract.migrations.reads import MigratedApi
    from assay.contract.migrations.tables import MigratedTable, rule

__all__ = [
    "MigratedApi",
    "MigratedTable",
    "MigrationHarness",
    "MigrationReport",
    "rule",
    "scratch_database",
]

_LAZY = {
    "MigratedApi": "reads",
    "MigratedTable": "tables",
    "MigrationHarness": "harness",
    "MigrationReport": "harness",
    "rule": "tables",
    "scratch_database": "database",
}
_EXTRA = frozenset({"sqlalchemy", "alembic"})


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'assay.contract.migrations' has no attribute {name!r}")
    try:
        loaded = _importlib.import_module(f"assay.contract.migrations.{module}")
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in _EXTRA:
            raise
        raise AssayError(
            f"migration testing needs {exc.name}, which is not installed",
            hint="Install assay with the db extra: pip install 'assay[db]'.",
        ) from None
    value = getattr(loaded, name)
    globals()[name] = value
    return value
