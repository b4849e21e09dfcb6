"""CSV request bodies: the rows a ``text/csv`` body holds, and the text they are written as.

OpenAPI gives a CSV body one schema for the whole text, mostly ``type: string``, which
says nothing about its rows. `csv_layout` finds the row schema where the document does
say it: in the CSV media type's own schema when that describes the parsed rows (an array
of objects), else in the schema of the same rows sent as JSON (a JSON media type of the
same request body: an array of objects, or an object holding one, ``{"rows": [...]}``).
The columns are the header of the CSV example when it has one, else the row's
properties in declaration order; object and array properties are no columns, so a row
that requires one has no CSV form. Without a layout the body is left to the generic
generators (and a further CSV media type gets no cases of its own).

A CSV body is never judged by the spec: the validator does not read CSV text, and the
row schema is only where its rows are described. So cases built here carry the row
schema's verdict on their rows (`CsvLayout.holds`) as their kind, and every boundary
variant of a CSV body is an edge case, where only a server failure (5xx) is a defect.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assay.generation.checker import SchemaChecker
from assay.generation.draws import TextRule
from assay.generation.values import UnsatisfiableSchema, ValueFactory
from assay.generation.walk import Node, SchemaReader
from assay.spec.model import MediaType, Operation

__all__ = [
    "CSV_MEDIA",
    "CsvLayout",
    "any_cell",
    "cell",
    "csv_layout",
    "is_csv",
    "plain_cell",
]

CSV_MEDIA = "text/csv"
CRLF = "\r\n"
_FUZZ_ROWS = 5
_ROW_ATTEMPTS = 8
_NESTED = frozenset({"object", "array"})

Row = Mapping[str, Any]


def is_csv(media: MediaType) -> bool:
    return media.media_type.split(";", 1)[0].strip().lower() == CSV_MEDIA


def plain_cell(text: str) -> bool:
    """A cell any CSV reader reads back as itself: not empty, no surrounding whitespace,
    nothing that needs quoting (quoted cells are boundary variants of their own)."""
    return bool(text) and text == text.strip() and not any(c in text for c in ',"\r\n\x00')


def any_cell(text: str) -> bool:
    """A cell CSV carries (quoted where it must be) and a reader reads back as itself."""
    return bool(text) and text == text.strip() and "\x00" not in text and "\r" not in text


def cell(value: Any) -> str:
    """The text of one cell: ``true``/``false`` for booleans, empty for null."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@dataclass(frozen=True, slots=True)
class CsvLayout:
    """How one operation's CSV body is laid out: its columns and the schema of its rows.

    `rows` is an array schema every body's rows are checked against (the row schema
    as items, the declared row bounds); `fuzz_rows` the same with at most a few rows.
    """

    media: MediaType
    columns: tuple[str, ...]
    row: Any
    rows: dict[str, Any]
    fuzz_rows: dict[str, Any]
    required: tuple[str, ...]
    min_rows: int
    max_rows: int | None
    source: str
    """Where the row schema comes from: the media type that declares it."""

    def project(self, rows: Sequence[Row]) -> list[dict[str, Any]]:
        """The rows as the CSV carries them: only the layout's columns."""
        return [{c: row[c] for c in self.columns if c in row} for row in rows]

    def holds(self, rows: Sequence[Row], checker: SchemaChecker) -> bool:
        """True when `rows` (as the CSV carries them) match the row schema and bounds."""
        return checker.is_valid(self.rows, self.project(rows))

    def text(
        self,
        rows: Sequence[Row],
        *,
        columns: Sequence[str] | None = None,
        line_end: str = CRLF,
        quote_all: bool = False,
    ) -> str:
        """The CSV document: the header row, then one line per row (empty cells for
        columns a row lacks)."""
        header = list(self.columns if columns is None else columns)
        out = io.StringIO()
        writer = csv.writer(
            out, lineterminator=line_end, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
        )
        writer.writerow(header)
        for row in rows:
            writer.writerow([cell(row.get(c)) for c in header])
        return out.getvalue()

    def sample(
        self, factory: ValueFactory, count: int = 2, rule: TextRule = plain_cell
    ) -> list[dict[str, Any]]:
        """`count` valid rows (within the row bounds) with every column filled, their
        text cells obeying `rule`.

        Raises `UnsatisfiableSchema` when no such rows are found.
        """
        wanted = max(self.min_rows, count if self.max_rows is None else min(count, self.max_rows))
        complete = factory.fork(f"csv rows:{self.media.pointer}", complete=True)
        for _ in range(_ROW_ATTEMPTS):
            rows = [self._row(complete, rule) for _ in range(wanted)]
            if all(r is not None for r in rows):
                found = self.project([r for r in rows if r is not None])
                if self.holds(found, factory.checker):
                    return found
        raise UnsatisfiableSchema(
            f"no rows found for the CSV body at {self.media.pointer}",
            hint="The row schema may be contradictory or use a pattern assay cannot sample.",
        )

    def _row(self, factory: ValueFactory, rule: TextRule) -> dict[str, Any] | None:
        try:
            value = factory.valid(self.row, rule=rule)
        except UnsatisfiableSchema:
            return None
        if not isinstance(value, dict) or any(value.get(c) is None for c in self.columns):
            return None
        return value


def csv_layout(operation: Operation, media: MediaType, reader: SchemaReader) -> CsvLayout | None:
    """The layout of `media` (a ``text/csv`` entry of `operation`), or None when the
    document does not say what its rows hold."""
    body = operation.request_body
    if body is None or not is_csv(media):
        return None
    found = _rows_array(reader, media.schema)
    source = media.media_type
    if found is None:
        twins = [m for m in body.content.values() if m.is_json]
        found, source = next(
            ((a, m.media_type) for m in twins if (a := _rows_array(reader, m.schema))), (None, "")
        )
    if found is None:
        return None
    return _layout(media, found, source, reader)


def _rows_array(reader: SchemaReader, schema: Any) -> Node | None:
    """The array of row objects `schema` describes: itself, or one of its properties."""
    if schema is None:
        return None
    node = reader.node(schema)
    if _is_rows(reader, node):
        return node
    if "object" not in node.types:
        return None
    candidates = [reader.node(s) for _, s, _ in reader.properties(node)]
    rows = [c for c in candidates if _is_rows(reader, c)]
    return rows[0] if len(rows) == 1 else None


def _is_rows(reader: SchemaReader, node: Node) -> bool:
    items = node.get("items")
    if "array" not in node.types or not isinstance(items, dict):
        return False
    row = reader.node(items)
    return "object" in row.types and bool(row.properties)


def _layout(media: MediaType, array: Node, source: str, reader: SchemaReader) -> CsvLayout | None:
    row_schema = array.get("items")
    row = reader.node(row_schema)
    writable = [
        name
        for name, schema, _ in reader.properties(row)
        if not reader.is_read_only(schema) and not _NESTED & set(reader.node(schema).types)
    ]
    columns = _example_header(media) or tuple(writable)
    if not columns or any(c not in writable for c in columns):
        return None
    if any(name not in columns for name in row.required):
        return None
    low = int(array.bound("minItems") or 0)
    high = array.bound("maxItems")
    bounds: dict[str, Any] = {"minItems": low} if low else {}
    if high is not None:
        bounds["maxItems"] = int(high)
    if array.get("uniqueItems") is True:
        bounds["uniqueItems"] = True
    fuzz_high = max(low, _FUZZ_ROWS if high is None else min(int(high), _FUZZ_ROWS))
    return CsvLayout(
        media=media,
        columns=columns,
        row=row_schema,
        rows={"type": "array", "items": row_schema, **bounds},
        fuzz_rows={"type": "array", "items": row_schema, **bounds, "maxItems": fuzz_high},
        required=tuple(c for c in columns if c in row.required),
        min_rows=low,
        max_rows=None if high is None else int(high),
        source=source,
    )


def _example_header(media: MediaType) -> tuple[str, ...]:
    """The column names of the CSV example's first line (none without a text example)."""
    examples = [media.example, *(e.get("value") for e in media.examples.values() if _has(e))]
    for example in examples:
        if isinstance(example, str) and example.strip():
            first = next(csv.reader(io.StringIO(example.lstrip("\ufeff"))), [])
            header = tuple(c.strip() for c in first)
            if header and all(header):
                return header
    return ()


def _has(entry: Any) -> bool:
    return isinstance(entry, Mapping) and "value" in entry
