"""What a database held at one revision: rows per table, keyed by primary key.

`Snapshot` and `TableRows` are plain data read once (no live connection); `Row` is the
read-only mapping a rule receives, saying which table, revision and columns it has when
a rule asks for a column that is not there. `same_value` compares what two revisions
hold for one value without tripping over representations (``Decimal("12.50")`` and
``12.5``; a timestamp read back with or without its zone on SQLite).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

__all__ = ["MissingColumn", "Row", "Snapshot", "TableRows", "plain", "same_value"]

Key = tuple[Any, ...]


class MissingColumn(KeyError):
    """A rule read a column the row does not have at its revision."""

    def __init__(self, row: Row, column: str) -> None:
        self.row = row
        self.column = column
        super().__init__(column)

    def __str__(self) -> str:
        columns = ", ".join(self.row.columns)
        return (
            f"{self.row.table} has no column {self.column!r} at revision {self.row.revision} "
            f"(columns: {columns})"
        )


class Row(Mapping[str, Any]):
    """One row at one revision: ``row["price"]``; an unknown column says what there is."""

    __slots__ = ("_values", "revision", "table")

    def __init__(self, table: str, revision: str, values: Mapping[str, Any]) -> None:
        self.table = table
        self.revision = revision
        self._values = dict(values)

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self._values)

    def __getitem__(self, column: str) -> Any:
        try:
            return self._values[column]
        except KeyError:
            raise MissingColumn(self, column) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Row({self.table}@{self.revision}, {self._values!r})"


@dataclass(frozen=True, slots=True)
class TableRows:
    """Every row of one table at one revision, by primary key (in key order)."""

    name: str
    revision: str
    key_columns: tuple[str, ...]
    columns: tuple[str, ...]
    rows: Mapping[Key, Row]

    def key_of(self, key: Key) -> dict[str, Any]:
        """The primary key as ``{column: value}`` (JSON-ready, for evidence)."""
        return {c: plain(v) for c, v in zip(self.key_columns, key, strict=True)}

    def __len__(self) -> int:
        return len(self.rows)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The rows of some tables at one revision (tables that do not exist are absent)."""

    revision: str
    tables: Mapping[str, TableRows]

    def __getitem__(self, table: str) -> TableRows:
        return self.tables[table]

    def __contains__(self, table: object) -> bool:
        return table in self.tables

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        return {name: len(rows) for name, rows in self.tables.items()}


def key_token(value: Any) -> Any:
    """A primary-key value in a form equal across revisions (``1`` and ``Decimal(1)``)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value)).normalize()
    if isinstance(value, dt.datetime):
        return _naive_utc(value)
    return value


def same_value(left: Any, right: Any) -> bool:
    """Whether two revisions hold the same value: numbers by value, timestamps by instant
    (a zone dropped by the database counts as UTC), everything else by equality."""
    if _number(left) and _number(right):
        return bool(Decimal(str(left)) == Decimal(str(right)))
    if isinstance(left, dt.datetime) and isinstance(right, dt.datetime):
        return _naive_utc(left) == _naive_utc(right)
    return bool(left == right)


def _number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _naive_utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        return value
    return value.astimezone(dt.UTC).replace(tzinfo=None)


def plain(value: Any) -> Any:
    """`value` ready for JSON evidence: decimals and times as text, rows as dicts."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return value
