"""Rows to fill a table with, completed from the table's columns as reflected at the
start revision.

A fill source per table is a number of rows to generate, an iterable of (partial) rows,
or a callable that receives the reflected `sqlalchemy.Table` and returns rows. Every
NOT NULL column a row does not give is generated: a JSON Schema is derived from the
column types (lengths, numeric precision, dates, enums, JSON) and `ValueFactory` makes a
realistic value for it (through a data `Builder` of that schema), deterministic by
seed; foreign keys take a value of a row
already in the referenced table; primary keys and unique columns stay unique;
autoincrement keys and columns with a server default are left to the database.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import sqlalchemy as sa

from assay.contract.migrations.snapshots import Snapshot
from assay.data.builders import Builder
from assay.data.tables import column_values
from assay.errors import AssayError

__all__ = ["RowSource", "TableFiller", "column_schema"]

RowSource = int | Iterable[Mapping[str, Any]] | Callable[[sa.Table], Iterable[Mapping[str, Any]]]
"""How many rows to generate, the (partial) rows themselves, or a callable making them."""

Convert = Callable[[Any], Any]
_ATTEMPTS = 20


def column_schema(column: sa.Column[Any]) -> tuple[dict[str, Any], Convert]:
    """A JSON Schema for the column's values (the fill flavour of the builders' column
    mapping) and the conversion of a generated value to what the column stores;
    `AssayError` for a type assay cannot generate."""
    found = column_values(column.type, fill=True)
    if found is not None:
        return found
    raise AssayError(
        f"{column.table.name}.{column.name}: assay cannot generate values of the column "
        f"type {column.type!r}",
        hint=f"Give {column.name!r} in the fill rows of {column.table.name}.",
    )


def _database_fills(column: sa.Column[Any]) -> bool:
    if column.server_default is not None or column.computed is not None:
        return True
    table = column.table
    return bool(
        column.primary_key
        and len(table.primary_key.columns) == 1
        and isinstance(column.type, sa.Integer)
        and column.autoincrement is not False
        and not column.foreign_keys
    )


class TableFiller:
    """Completes the fill rows of one reflected table (see the module's docstring)."""

    def __init__(self, table: sa.Table, filled: Snapshot, seed: int) -> None:
        self.table = table
        self.filled = filled
        self.seed = seed
        self._builders: dict[tuple[str, ...], tuple[Builder[Any], dict[str, Convert]]] = {}
        self._unique = _unique_groups(table)
        self._seen: list[set[tuple[Any, ...]]] = [set() for _ in self._unique]

    def rows(self, source: RowSource) -> list[dict[str, Any]]:
        """The complete rows of `source` for this table."""
        given = _given_rows(self.table, source)
        return [self.complete(index, row) for index, row in enumerate(given)]

    def complete(self, index: int, given: Mapping[str, Any]) -> dict[str, Any]:
        """`given` with every missing NOT NULL column filled in."""
        unknown = sorted(set(given) - set(self.table.columns.keys()))
        if unknown:
            raise AssayError(
                f"the fill rows for {self.table.name} name columns it does not have at this "
                f"revision: {', '.join(unknown)}",
                hint=f"Its columns: {', '.join(self.table.columns.keys())}.",
            )
        row = {**self._references(index, given), **dict(given)}
        missing = [
            c
            for c in self.table.columns
            if c.name not in row and not c.nullable and not _database_fills(c)
        ]
        for attempt in range(_ATTEMPTS):
            candidate = {**row, **self._generated(missing)}
            if self._claim(candidate, final=attempt == _ATTEMPTS - 1 or not missing):
                return candidate
        raise AssayError(  # pragma: no cover - _claim(final=True) accepts or raises
            f"no unique row found for {self.table.name}"
        )

    def _generated(self, columns: list[sa.Column[Any]]) -> dict[str, Any]:
        if not columns:
            return {}
        builder, converters = self._builder(columns)
        value = builder.data()
        return {name: convert(value[name]) for name, convert in converters.items()}

    def _builder(self, columns: list[sa.Column[Any]]) -> tuple[Builder[Any], dict[str, Convert]]:
        """The builder of these columns' values (one per set of columns, seeded from it)."""
        key = tuple(str(c.name) for c in columns)
        if key not in self._builders:
            parts = {str(c.name): column_schema(c) for c in columns}
            schema = {
                "type": "object",
                "properties": {name: schema for name, (schema, _) in parts.items()},
                "required": list(parts),
                "additionalProperties": False,
            }
            seed = zlib.crc32(f"{self.seed}:{self.table.name}:{key}".encode())
            builder = Builder.from_schema(schema, name=self.table.name, seed=seed)
            self._builders[key] = builder, {name: convert for name, (_, convert) in parts.items()}
        return self._builders[key]

    def _references(self, index: int, given: Mapping[str, Any]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for constraint in self.table.foreign_key_constraints:
            names = [c.name for c in constraint.columns]
            needed = any(not c.nullable for c in constraint.columns)
            if any(n in given for n in names) or not needed:
                continue
            target = self._referenced(constraint)
            row = list(target.values())[index % len(target)]
            for element in constraint.elements:
                values[element.parent.name] = row[element.column.name]
        return values

    def _referenced(self, constraint: sa.ForeignKeyConstraint) -> dict[Any, Any]:
        name = constraint.referred_table.name
        rows = self.filled[name].rows if name in self.filled else {}
        if not rows:
            columns = ", ".join(c.name for c in constraint.columns)
            raise AssayError(
                f"{self.table.name}.{columns} references {name}, which has no rows to point at",
                hint=f"Fill {name} too (tables are filled in dependency order), or give "
                f"{columns} in the fill rows of {self.table.name}.",
            )
        return dict(rows)

    def _claim(self, row: Mapping[str, Any], *, final: bool) -> bool:
        keys = [tuple(row.get(c) for c in group) for group in self._unique]
        clash = [
            group
            for group, key, seen in zip(self._unique, keys, self._seen, strict=True)
            if None not in key and key in seen
        ]
        if clash and not final:
            return False
        if clash:
            raise AssayError(
                f"two fill rows for {self.table.name} share {', '.join(clash[0])} = "
                f"{keys[self._unique.index(clash[0])]}",
                hint="Give distinct values for the table's primary key and unique columns.",
            )
        for key, seen in zip(keys, self._seen, strict=True):
            seen.add(key)
        return True


def _unique_groups(table: sa.Table) -> list[tuple[str, ...]]:
    groups = [tuple(c.name for c in table.primary_key.columns)]
    for constraint in table.constraints:
        if isinstance(constraint, sa.UniqueConstraint):
            groups.append(tuple(c.name for c in constraint.columns))
    for index in table.indexes:
        if index.unique:
            groups.append(tuple(c.name for c in index.columns))
    return [g for g in groups if g]


def _given_rows(table: sa.Table, source: RowSource) -> list[Mapping[str, Any]]:
    if isinstance(source, bool):
        raise AssayError(f"the fill source for {table.name} is {source!r}")
    if isinstance(source, int):
        return [{} for _ in range(source)]
    made = source(table) if callable(source) else source
    rows = list(made)
    for row in rows:
        if not isinstance(row, Mapping):
            raise AssayError(
                f"a fill row for {table.name} is {type(row).__name__}, not a mapping",
                hint="Give rows as dicts of column name to value.",
            )
    return rows
