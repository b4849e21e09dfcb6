"""`MigrationHarness`: fill a database at Alembic revision N, migrate it to N+1, and check
the data and the API on it.

    with MigrationHarness("src/shop/migrations", "sqlite:///tmp/test.db") as harness:
        harness.run(
            "0001",                                   # N; the target defaults to N+1
            fill={"inventory_products": [{"price": Decimal("12.99"), "currency": "EUR"}]},
            expect=[MigratedTable("inventory_products").keeps_rows().rule(...)],
            reversible=True,                          # downgrade to N and compare
            api=MigratedApi(create_app).get("/v2/products/{sku}", each="inventory_products"),
        )

The steps are methods too (`upgrade`, `fill`, `snapshot`, `check_tables`,
`check_round_trip`, `downgrade`) for migrations that need more than one call. Findings
of the migration are `Finding`s (``migration_rows_lost``, ``migration_rule_broken``,
``migration_constraint_broken``, ``migration_not_reversible``, ``migration_failed``,
``migration_response_violation``); misuse is an `AssayError`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Self

from assay.contract.migrations import database, verdicts
from assay.contract.migrations.reads import MigratedApi
from assay.contract.migrations.revisions import AlembicSource, Revisions, bound_config
from assay.contract.migrations.rows import RowSource, TableFiller
from assay.contract.migrations.snapshots import Snapshot, TableRows
from assay.contract.migrations.tables import MigratedTable
from assay.errors import AssayError, Finding, Severity

__all__ = ["MigrationHarness", "MigrationReport"]

CONSTRAINT_BROKEN = "migration_constraint_broken"


@dataclass(slots=True)
class MigrationReport:
    """What one `MigrationHarness.run` did and found."""

    start: str
    target: str
    filled: Snapshot
    migrated: Snapshot | None = None
    restored: Snapshot | None = None
    requests: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def step(self) -> str:
        return f"{self.start} → {self.target}"

    @property
    def ok(self) -> bool:
        return not self.findings

    def raise_findings(self) -> None:
        """Raise the first finding (naming the others in its detail), if there is one."""
        if not self.findings:
            return
        first, others = self.findings[0], self.findings[1:]
        if not others:
            raise first
        listed = "\n".join(f"  - [{f.check}] {f.title}" for f in others)
        raise Finding(
            first.title,
            check=first.check,
            severity=max(f.severity for f in self.findings),
            operation=first.operation,
            detail=f"{first.detail or ''}\n\nAlso found:\n{listed}".strip(),
            evidence={**first.evidence, "also": [f.to_dict() for f in others]},
            reproduction=first.reproduction,
            signature=first.signature,
        )


class MigrationHarness:
    """Drives the Alembic migrations of `alembic` (a script directory, an alembic.ini or
    a `Config`) on the database at `database_url`, which should start empty. `seed`
    makes the generated fill values deterministic."""

    def __init__(self, alembic: AlembicSource, database_url: str, *, seed: int = 0) -> None:
        self.database_url = database_url
        self.seed = seed
        self.revisions = Revisions(bound_config(alembic, database_url))
        self.engine = database.connect(database_url)

    def close(self) -> None:
        """Release the harness's connections (the database itself is left as it is)."""
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # Steps ---------------------------------------------------------------------------

    @property
    def current(self) -> str:
        """The revision the database is at (``base`` before any migration)."""
        with self.engine.connect() as connection:
            return self.revisions.current(connection)

    def upgrade(self, revision: str) -> str:
        """Migrate up to `revision`; returns its full id."""
        resolved = self.revisions.resolve(revision)
        self.revisions.upgrade(resolved)
        return resolved

    def downgrade(self, revision: str) -> str:
        """Migrate down to `revision`; returns its full id."""
        resolved = self.revisions.resolve(revision)
        self.revisions.downgrade(resolved)
        return resolved

    def snapshot(self, tables: Iterable[str]) -> Snapshot:
        """The rows of `tables` as they are now (tables that do not exist are absent)."""
        return database.snapshot(self.engine, self.current, tables)

    def fill(self, sources: Mapping[str, RowSource]) -> Snapshot:
        """Insert rows into the tables as they are at the current revision (referenced
        tables first) and return the snapshot of every filled table."""
        metadata = database.reflect(self.engine)
        unknown = sorted(set(sources) - set(metadata.tables))
        if unknown:
            raise AssayError(
                f"cannot fill {', '.join(unknown)}: no such table at revision {self.current}",
                hint=f"Tables there: {', '.join(sorted(metadata.tables)) or 'none'}.",
            )
        revision = self.current
        filled: dict[str, TableRows] = {}
        for table in metadata.sorted_tables:
            if table.name in sources:
                filler = TableFiller(table, Snapshot(revision, filled), self.seed)
                database.insert_rows(self.engine, table, filler.rows(sources[table.name]))
                filled.update(self.snapshot([table.name]).tables)
        return Snapshot(revision, filled)

    def check_tables(
        self, before: Snapshot, after: Snapshot, expect: Iterable[MigratedTable]
    ) -> list[Finding]:
        """The declared expectations of each table, `before` against `after`."""
        step = f"{before.revision} → {after.revision}"
        findings: list[Finding] = []
        for table in expect:
            if table.name not in before:
                raise AssayError(
                    f"expectations for {table.name}, which was not filled",
                    hint=f"Fill it (fill={{{table.name!r}: 3}}) so there are rows to check.",
                )
            old, new = before[table.name], after.tables.get(table.name)
            lost = verdicts.lost_rows(old, new, step) if table.keeps_all_rows else None
            findings += [lost] if lost is not None else []
            findings += verdicts.broken_rules(old, new, table, step)
            findings += self._constraints(table, new, step)
        return findings

    def check_round_trip(
        self, before: Snapshot, target: str, expect: Iterable[MigratedTable] = ()
    ) -> tuple[list[Finding], Snapshot | None]:
        """Downgrade to the revision of `before`, compare the rows with `before`, and
        upgrade to `target` again; returns the findings and the restored snapshot."""
        step = f"{target} → {before.revision}"
        try:
            self.revisions.downgrade(before.revision)
        except Exception as exc:
            return [verdicts.failed(step, exc, check=verdicts.NOT_REVERSIBLE)], None
        restored = self.snapshot(before.tables)
        declared = {table.name: table for table in expect}
        findings = verdicts.round_trip_findings(before, restored, declared, step)
        try:
            self.revisions.upgrade(target)
        except Exception as exc:
            again = f"{before.revision} → {target} (again, after the downgrade)"
            findings.append(verdicts.failed(again, exc, check=verdicts.NOT_REVERSIBLE))
        return findings, restored

    # The whole run -------------------------------------------------------------------

    def run(
        self,
        start: str,
        target: str | None = None,
        *,
        fill: Mapping[str, RowSource],
        expect: Iterable[MigratedTable] = (),
        reversible: bool = False,
        api: MigratedApi | None = None,
        raise_findings: bool = True,
    ) -> MigrationReport:
        """Upgrade to `start`, fill, upgrade to `target` (default: the next revision),
        check `expect`, then (with `reversible`) downgrade, compare and upgrade again,
        then check `api` on the migrated database. Raises the findings unless
        `raise_findings` is false; returns the report."""
        expected = list(expect)
        revisions = self.revisions
        start_id = revisions.resolve(start)
        target_id = revisions.resolve(target) if target else revisions.next_after(start_id)
        self.revisions.upgrade(start_id)
        report = MigrationReport(start_id, target_id, self.fill(fill))
        self._migrate(report, expected, reversible, api)
        if raise_findings:
            report.raise_findings()
        return report

    def _migrate(
        self,
        report: MigrationReport,
        expect: list[MigratedTable],
        reversible: bool,
        api: MigratedApi | None,
    ) -> None:
        try:
            self.revisions.upgrade(report.target)
        except Exception as exc:
            report.findings.append(verdicts.failed(report.step, exc))
            return
        tables = report.filled.tables
        report.migrated = self.snapshot(tables)
        report.findings += self.check_tables(report.filled, report.migrated, expect)
        if reversible:
            found, report.restored = self.check_round_trip(report.filled, report.target, expect)
            report.findings += found
            if found and self.current != report.target:
                return
        if api is not None:
            findings, report.requests = api.check(self.database_url, self.snapshot(tables))
            report.findings += findings

    def _constraints(
        self, table: MigratedTable, after: TableRows | None, step: str
    ) -> list[Finding]:
        if after is None or not (table.required or table.rejections):
            return []
        present = [c for c in table.required if c in after.columns]
        gone = [c for c in table.required if c not in present]
        problems = [f"{column} is missing after the migration" for column in gone]
        problems += [
            f"{column} may hold NULL"
            for column in database.declared_nullable(self.engine, table.name, present)
        ]
        problems += [
            f"{column} holds NULL in {len(rows)} rows"
            for column in present
            if (rows := [r for r in after.rows.values() if r[column] is None])
        ]
        problems += self._accepted(table, after)
        if not problems:
            return []
        return [_constraint_finding(table.name, step, problems)]

    def _accepted(self, table: MigratedTable, after: TableRows) -> list[str]:
        if not table.rejections or not after.rows:
            return []
        reflected = database.reflect(self.engine, [table.name]).tables[table.name]
        key = next(iter(after.rows))
        where = {c: after.rows[key][c] for c in after.key_columns}
        problems = []
        for rejection in table.rejections:
            missing = [c for c in rejection.change if c not in reflected.c]
            if missing:
                problems.append(f"{', '.join(missing)} missing: cannot try {rejection.name}")
            elif database.accepts(self.engine, reflected, where, rejection.change):
                problems.append(
                    f"the database accepts {rejection.name} ({_change(rejection.change)})"
                )
        return problems


def _change(change: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in change.items())


def _constraint_finding(table: str, step: str, problems: list[str]) -> Finding:
    return Finding(
        f"{table}: after the migration {step} the schema does not enforce what it must",
        check=CONSTRAINT_BROKEN,
        severity=Severity.HIGH,
        detail="\n".join(f"  - {p}" for p in problems),
        evidence={"table": table, "step": step, "problems": problems},
        signature=f"{CONSTRAINT_BROKEN}:{table}",
    )
