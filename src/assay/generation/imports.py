"""Bulk imports in CSV: rows naming items the run created, one with an out-of-range value.

An operation that takes ``text/csv`` with a documented example (``sku,warehouse,
quantity`` and a row) is sent, after the run created items, rows built from that
example: columns named like the id of a created item (``sku``) take its id, the
others the example's values. When the operation also takes the same rows as JSON, that
schema gives each column's range, and one row goes below the range (``quantity``
``-1`` when JSON documents ``minimum: 0``) — the CSV path of an import is often the one
that forgets the checks the JSON path has.

Each import is followed by reads of the items its rows name (``read_after_import``),
so a value the import let through and the reads cannot show is a 5xx there, reported
by `server_error` with the import in the trail. Then the valid rows are sent again, so
the run's items are left as the valid import set them. Only items the run created are
named; nothing else is changed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assay.generation.cases import Case
from assay.generation.properties import json_media, row_schemas
from assay.generation.refusals import watched_items
from assay.generation.steps import Scenario, ScenarioContext, Step
from assay.spec.model import Operation

__all__ = ["STEP_IMPORT", "STEP_READ_AFTER_IMPORT", "CsvPlan", "csv_imports", "csv_plan"]

STEP_IMPORT = "import"
STEP_READ_AFTER_IMPORT = "read_after_import"
_CSV = "text/csv"


@dataclass(frozen=True, slots=True)
class CsvPlan:
    """How to write rows for one CSV-taking operation."""

    columns: tuple[str, ...]
    example: tuple[str, ...]
    below: Mapping[str, int]
    """Columns with a documented minimum (from the JSON twin) → a value just below it."""

    def text(self, rows: Sequence[Sequence[Any]]) -> str:
        """The CSV document: the header row, then `rows` (CRLF line ends)."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(self.columns)
        writer.writerows(rows)
        return out.getvalue()


def csv_plan(spec: Any, operation: Operation) -> CsvPlan | None:
    """The plan for `operation`: None unless it takes ``text/csv`` with a header example."""
    body = operation.request_body
    entry = body.content.get(_CSV) if body is not None else None
    example = entry.example if entry is not None else None
    if not isinstance(example, str):
        return None
    records = [r for r in csv.reader(io.StringIO(example)) if r]
    if len(records) < 2 or len(records[0]) != len(records[1]):
        return None
    columns = tuple(c.strip() for c in records[0])
    below: dict[str, int] = {}
    media = json_media(operation)
    if media is not None and media != _CSV and body is not None:
        for name, prop in row_schemas(spec, body.content[media].schema, columns).items():
            minimum = prop.get("minimum")
            if prop.get("type") == "integer" and isinstance(minimum, int | float):
                below[name] = int(minimum) - 1
    return CsvPlan(columns, tuple(v.strip() for v in records[1]), below)


def csv_imports(ctx: ScenarioContext) -> None:
    """Send each CSV-taking operation rows naming the run's items (see the module)."""
    for operation in ctx.operations:
        if ctx.expired:
            return
        plan = csv_plan(ctx.spec, operation)
        if plan is not None and operation.method in ("post", "put", "patch"):
            _import(ctx, operation, plan)


def _import(ctx: ScenarioContext, operation: Operation, plan: CsvPlan) -> None:
    s = Scenario(ctx, "csv_import", operation, "0")
    row = [
        _value(s, column, example)
        for column, example in zip(plan.columns, plan.example, strict=True)
    ]
    named = {c: v for c, v, e in zip(plan.columns, row, plan.example, strict=True) if v != e}
    if not named:
        return
    valid = _send(s, operation, plan.text([row]), {"rows": "valid"})
    if valid is None or not valid.ok:
        return
    for column, value in plan.below.items():
        index = plan.columns.index(column)
        odd = [*row[:index], value, *row[index + 1 :]]
        facts = {"rows": "out of range", "column": column, "value": value}
        sent = _send(s, operation, plan.text([odd]), facts)
        if sent is not None and sent.ok:
            _read_named(s, named)
        _send(s, operation, plan.text([row]), {"rows": "valid again"})


def _value(s: Scenario, column: str, example: str) -> Any:
    values = s.known.get(column)
    return values[-1] if values else example


def _send(s: Scenario, operation: Operation, text: str, facts: Mapping[str, Any]) -> Step | None:
    case = s.case(operation, STEP_IMPORT, facts=facts)
    if case is None:
        return None
    return s.send(
        Case(
            operation,
            path_parameters=case.path_parameters,
            query=case.query,
            headers=case.headers,
            cookies=case.cookies,
            body=text,
            media_type=_CSV,
            identity=case.identity,
            note=case.note,
            scenario=case.scenario,
        )
    )


def _read_named(s: Scenario, named: Mapping[str, Any]) -> None:
    for item in watched_items(s.stored, dict(named), {k: [v] for k, v in named.items()}):
        facts = {"resource": item.read.path}
        s.send(
            s.case(
                item.read, STEP_READ_AFTER_IMPORT, item.bound, identity=item.identity, facts=facts
            )
        )
