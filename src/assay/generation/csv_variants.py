"""Boundary variants of a CSV body: its structure, its encoding, its row count, its cells.

From valid rows (`CsvLayout.sample`) each variant changes one thing: an empty file, the
header alone, a required column missing, an undeclared column, the columns in another
order; a byte order mark, LF line ends, no final line break, every field quoted, bytes
that are not UTF-8; a cell holding a comma, a double quote and a line break (quoted, as
CSV requires); the row count at the declared ``maxItems`` and one above it; and each
column's boundary values (`Edges` with the ``text`` carrier: a cell is text, so ``abc``
is the wrong type for an integer column, never ``"12"``).

Every variant is an edge case: the spec cannot judge CSV text (see
`assay.generation.csv_bodies`), so the server may accept or refuse it with a 4xx and only
a failure (5xx) is a defect. Its kind is the row schema's verdict on its rows: positive
when they match it, negative when they do not. The one judged variant is an empty body
where the request body is required, which the spec itself refuses.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from assay.generation.cases import CaseKind
from assay.generation.csv_bodies import CRLF, CsvLayout, cell
from assay.generation.edges import MISSING, Edges, Variant
from assay.generation.payloads import concrete_node
from assay.generation.values import ValueFactory

__all__ = ["CsvVariant", "csv_variants"]

MAX_ROWS_SENT = 10_000
"""Row-count variants are sent only up to this many rows (bounded traffic)."""
_EXTRA_COLUMN = "unexpected_column"
_QUOTED = 'a, "b"\nc'
_BYTE_ORDER_MARK = "\ufeff"
_WHERE = "body (text/csv)"

Rows = list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class CsvVariant:
    """One CSV body to send: its text (bytes when it is no valid UTF-8) and what it is."""

    content: str | bytes
    variant: Variant
    where: str = _WHERE


def csv_variants(
    layout: CsvLayout, rows: Rows, factory: ValueFactory, edges: Edges, *, body_required: bool
) -> list[list[CsvVariant]]:
    """The variants of one CSV body in groups, one group per thing varied."""
    maker = _Maker(layout, rows, factory)
    groups = [
        list(maker.structure(body_required)),
        list(maker.encoding()),
        list(maker.quoted()),
        list(maker.row_counts()),
        *(list(maker.cells(column, edges)) for column in layout.columns),
    ]
    return [group for group in groups if group]


class _Maker:
    def __init__(self, layout: CsvLayout, rows: Rows, factory: ValueFactory) -> None:
        self.layout = layout
        self.rows = rows
        self.factory = factory
        self.text = layout.text(rows)

    def kind(self, rows: Sequence[dict[str, Any]]) -> CaseKind:
        valid = self.factory.checker.is_valid(self.layout.rows, list(rows))
        return "positive" if valid else "negative"

    def variant(self, content: str | bytes, label: str, tier: int, rows: Rows) -> CsvVariant:
        return CsvVariant(content, Variant(content, self.kind(rows), label, tier, edge=True))

    def structure(self, body_required: bool) -> Iterator[CsvVariant]:
        empty: CaseKind = "negative" if body_required else "positive"
        yield CsvVariant("", Variant("", empty, "an empty file", 1, edge=not body_required))
        yield self.variant(self.layout.text([]), "the header alone, no rows", 1, [])
        for column in self.layout.required:
            kept = [c for c in self.layout.columns if c != column]
            rows = [{k: v for k, v in row.items() if k != column} for row in self.rows]
            label = f"the required column {column!r} is missing"
            yield self.variant(self.layout.text(rows, columns=kept), label, 0, rows)
        grown = [{**row, _EXTRA_COLUMN: "surprise"} for row in self.rows]
        columns = [*self.layout.columns, _EXTRA_COLUMN]
        label = f"an undeclared column {_EXTRA_COLUMN!r}"
        yield self.variant(self.layout.text(grown, columns=columns), label, 1, grown)
        if len(self.layout.columns) > 1:
            reordered = list(reversed(self.layout.columns))
            text = self.layout.text(self.rows, columns=reordered)
            yield self.variant(text, "the columns in reverse order", 2, self.rows)

    def encoding(self) -> Iterator[CsvVariant]:
        rows = self.rows
        yield self.variant(_BYTE_ORDER_MARK + self.text, "a UTF-8 byte order mark", 1, rows)
        yield self.variant(self.layout.text(rows, line_end="\n"), "LF line ends", 1, rows)
        quoted = self.layout.text(rows, quote_all=True)
        yield self.variant(quoted, "every field quoted", 1, rows)
        yield self.variant(self.text.removesuffix(CRLF), "no final line break", 2, rows)
        header_end = len(self.text.split(CRLF, 1)[0].encode()) + len(CRLF)
        raw = self.text.encode()
        broken = raw[:header_end] + b"\xff\xfe" + raw[header_end:]
        yield CsvVariant(broken, Variant(broken, "negative", "invalid UTF-8 bytes", 1, edge=True))

    def quoted(self) -> Iterator[CsvVariant]:
        """A cell with a comma, a double quote and a line break, in a free-text column
        (one whose schema has no pattern, format or enum) or else the first text one."""
        texts = [c for c in self.layout.columns if isinstance(self.rows[0].get(c), str)]
        free = [c for c in texts if self._free_text(c)]
        for column in (free or texts)[:1]:
            rows = [{**self.rows[0], column: _QUOTED}, *self.rows[1:]]
            label = f"column {column!r} holds a comma, a double quote and a line break"
            yield self.variant(self.layout.text(rows), label, 0, rows)

    def _column(self, column: str) -> Any:
        return self.factory.reader.node(self.layout.row).properties[column]

    def _free_text(self, column: str) -> bool:
        node = self.factory.reader.node(self._column(column))
        return not any(node.get(k) is not None for k in ("pattern", "format", "enum", "const"))

    def row_counts(self) -> Iterator[CsvVariant]:
        high, low = self.layout.max_rows, self.layout.min_rows
        unique = self.layout.rows.get("uniqueItems") is True
        if high is not None and 0 < high <= MAX_ROWS_SENT and not unique:
            for count in (high, high + 1):
                rows = [self.rows[0]] * count
                label = f"{count} rows (maxItems {high})"
                yield self.variant(self.layout.text(rows), label, 1 if count > high else 3, rows)
        if low > 1 and not unique:
            rows = self.rows[: low - 1]
            label = f"{low - 1} rows, below minItems {low}"
            yield self.variant(self.layout.text(rows), label, 1, rows)

    def cells(self, column: str, edges: Edges) -> Iterator[CsvVariant]:
        """The column's boundary values in the first row, and an empty cell."""
        f = self.factory
        value = self.rows[0][column]
        node = concrete_node(self._column(column), value, f.reader, f.checker, f.composer)
        empty = Variant("", "negative", "an empty cell", 1)
        variants = [empty, *edges.variants(node, "text", value)]
        for v in variants:
            if v.value is MISSING or isinstance(v.value, dict | list) or v.value is None:
                continue
            if isinstance(v.value, str) and "\x00" in v.value:
                continue
            rows = [{**self.rows[0], column: v.value}, *self.rows[1:]]
            kind = self.kind(rows)
            if kind == "positive" and cell(v.value) != cell(v.value).strip():
                continue  # a reader may trim it: the row would no longer be the one judged
            label = f"column {column!r}: {v.label}"
            text = self.layout.text(rows)
            yield CsvVariant(text, Variant(text, kind, label, v.tier, edge=True))
