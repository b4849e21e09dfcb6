"""`MigratedTable`: what must hold for one table across a migration, declared fluently.

    MigratedTable("inventory_products")
        .keeps_rows()
        .rule("price in minor units", lambda old, new: new["price_amount"] == old["price"] * 100)
        .not_null("price_amount", "price_currency")
        .rejects({"price_amount": -1}, "negative prices")
        .round_trip(currency=str.upper)

Rows are matched old → new by primary key (the key at the start revision). A rule gets
the old and the new row (read-only mappings) and returns something truthy when the row
was migrated right. `round_trip` says how a column comes back after upgrade and
downgrade when not identical (here: currencies come back upper-cased).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Self

from assay.contract.migrations.snapshots import Row
from assay.errors import AssayError

__all__ = ["MigratedTable", "RowRule", "rule"]

RowCheck = Callable[[Row, Row], object]


@dataclass(frozen=True, slots=True)
class RowRule:
    """A named check of one row before and after the migration."""

    name: str
    check: RowCheck


@dataclass(frozen=True, slots=True)
class Rejection:
    """A change the database must refuse after the migration (a constraint it enforces)."""

    name: str
    change: Mapping[str, Any]


class MigratedTable:
    """The declared expectations for one table: rows kept, transformation rules,
    NOT NULL columns, changes the database must refuse, and the round trip."""

    def __init__(self, name: str) -> None:
        if not name:
            raise AssayError("MigratedTable needs a table name")
        self.name = name
        self.keeps_all_rows = False
        self.rules: list[RowRule] = []
        self.required: list[str] = []
        self.rejections: list[Rejection] = []
        self.restored: dict[str, Callable[[Any], Any]] = {}

    def keeps_rows(self) -> Self:
        """Every row survives the migration under its primary key, and none appears."""
        self.keeps_all_rows = True
        return self

    def rule(self, name: str, check: RowCheck) -> Self:
        """`check(old, new)` must be truthy for every row (matched by primary key); a row
        that is gone breaks the rule too."""
        if not callable(check):
            raise AssayError(
                f"rule {name!r} of {self.name}: the check is {type(check).__name__}",
                hint="Pass a callable taking the old and the new row: lambda old, new: ...",
            )
        self.rules.append(RowRule(name, check))
        return self

    def not_null(self, *columns: str) -> Self:
        """After the migration these columns are declared NOT NULL and hold no NULL."""
        self.required.extend(columns)
        return self

    def rejects(self, change: Mapping[str, Any], name: str | None = None) -> Self:
        """After the migration the database refuses `change` to a row (a CHECK, NOT NULL,
        unique or foreign-key constraint the new schema must enforce)."""
        if not change:
            raise AssayError(f"rejects() of {self.name} needs the change to try, as a dict")
        label = name or ", ".join(f"{k}={v!r}" for k, v in change.items())
        self.rejections.append(Rejection(label, dict(change)))
        return self

    def round_trip(self, **expected: Callable[[Any], Any]) -> Self:
        """How columns come back after upgrade and downgrade: ``currency=str.upper``
        expects ``original.upper()``; columns not named must come back identical."""
        self.restored.update(expected)
        return self

    def __repr__(self) -> str:
        return f"MigratedTable({self.name!r})"


def rule(table: str, name: str, check: RowCheck) -> MigratedTable:
    """Shorthand for ``MigratedTable(table).rule(name, check)``."""
    return MigratedTable(table).rule(name, check)
