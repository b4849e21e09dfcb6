"""CSV request bodies in the examples, boundary and fuzz phases.

The row schema comes from the document (the CSV media type's own array schema, or the
same rows as JSON); generated CSV reads back into rows the row schema accepts; each
boundary variant is what its label says; and an engine run sends CSV bodies in every
one of the three phases.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

import pytest
from tests.corpus.apps import server_error_csv_quoted_field as imports_app

from assay.client import APITestClient
from assay.engine import Engine, RunSettings
from assay.generation.baseline import Baseline, other_media
from assay.generation.boundary import boundary_cases
from assay.generation.cases import Case
from assay.generation.csv_bodies import CsvLayout, csv_layout
from assay.generation.examples import example_cases
from assay.generation.fuzz import run_fuzz
from assay.generation.values import ValueFactory
from assay.spec import Spec, SpecValidator
from assay.spec.model import Operation

from .conftest import request_violations, spec_of

ROW = {
    "type": "object",
    "required": ["sku", "quantity"],
    "additionalProperties": False,
    "properties": {
        "sku": {"type": "string", "pattern": "^[A-Z]{2}-[0-9]{1,4}$"},
        "quantity": {"type": "integer", "minimum": 0, "maximum": 500},
        "note": {"type": "string", "maxLength": 40},
        "active": {"type": "boolean"},
    },
}
ROWS = {
    "type": "object",
    "required": ["rows"],
    "properties": {
        "rows": {"type": "array", "maxItems": 20, "items": {"$ref": "#/components/schemas/Row"}}
    },
}
EXAMPLE = "sku,quantity,note\r\nAB-1,3,first\r\n"


def _operation(
    content: Mapping[str, Any], row: Any = ROW, rows: Any = ROWS
) -> tuple[Spec, Operation]:
    paths = {
        "/imports": {
            "post": {
                "requestBody": {"required": True, "content": dict(content)},
                "responses": {"200": {"description": "imported"}},
            }
        }
    }
    spec = spec_of({"Row": row, "Rows": rows}, paths)
    return spec, spec.operations[0]


def _twin(example: str | None = EXAMPLE) -> dict[str, Any]:
    csv_media: dict[str, Any] = {"schema": {"type": "string"}}
    if example is not None:
        csv_media["example"] = example
    return {
        "application/json": {"schema": {"$ref": "#/components/schemas/Rows"}},
        "text/csv": csv_media,
    }


def _layout(content: Mapping[str, Any]) -> tuple[CsvLayout, ValueFactory]:
    spec, operation = _operation(content)
    factory = ValueFactory(spec, 3)
    layout = csv_layout(operation, operation.request_body.content["text/csv"], factory.reader)  # type: ignore[union-attr]
    assert layout is not None
    return layout, factory


def _read(layout: CsvLayout, text: str) -> list[dict[str, Any]]:
    """CSV text back into typed rows, as a server reading it with the row schema would."""
    types = {name: schema.get("type") for name, schema in ROW["properties"].items()}  # type: ignore[attr-defined]
    convert = {"integer": int, "boolean": lambda v: v == "true", "string": str}
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    return [{k: convert[types[k]](v) for k, v in row.items()} for row in rows]


# Where the row schema comes from ----------------------------------------------------------


def test_the_rows_of_a_json_twin_and_the_columns_of_the_csv_example() -> None:
    layout, _ = _layout(_twin())
    assert layout.columns == ("sku", "quantity", "note")
    assert layout.required == ("sku", "quantity")
    assert (layout.max_rows, layout.min_rows, layout.source) == (20, 0, "application/json")


def test_without_an_example_the_columns_are_the_row_properties() -> None:
    layout, _ = _layout(_twin(example=None))
    assert layout.columns == ("sku", "quantity", "note", "active")


def test_a_csv_schema_that_describes_its_rows_is_used_directly() -> None:
    rows = {"type": "array", "minItems": 1, "items": {"$ref": "#/components/schemas/Row"}}
    layout, _ = _layout({"text/csv": {"schema": rows}})
    assert layout.source == "text/csv"
    assert (layout.min_rows, layout.max_rows) == (1, None)


@pytest.mark.parametrize(
    "content",
    [
        {"text/csv": {"schema": {"type": "string"}, "example": EXAMPLE}},  # no row schema
        _twin(example="sku,quantity,colour\r\nAB-1,3,red\r\n"),  # an undocumented column
        _twin(example="sku,note\r\nAB-1,x\r\n"),  # a required column left out
    ],
)
def test_no_layout_where_the_document_does_not_say_what_the_rows_hold(
    content: dict[str, Any],
) -> None:
    spec, operation = _operation(content)
    media = operation.request_body.content["text/csv"]  # type: ignore[union-attr]
    assert csv_layout(operation, media, ValueFactory(spec).reader) is None
    assert other_media(operation, ValueFactory(spec).reader) == []


@pytest.mark.parametrize("required", [False, True])
def test_a_nested_column_has_no_csv_form(required: bool) -> None:
    properties = {**ROW["properties"], "tags": {"type": "array"}}  # type: ignore[dict-item]
    names = ["sku", "quantity", *(["tags"] if required else [])]
    row = {**ROW, "properties": properties, "required": names}
    spec, operation = _operation(_twin(example=None), row=row)
    media = operation.request_body.content["text/csv"]  # type: ignore[union-attr]
    layout = csv_layout(operation, media, ValueFactory(spec).reader)
    if required:
        assert layout is None
    else:
        assert layout is not None
        assert "tags" not in layout.columns


# Positive bodies ----------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(5))
def test_generated_csv_reads_back_into_rows_the_row_schema_accepts(seed: int) -> None:
    layout, factory = _layout(_twin(example=None))
    factory = factory.fork(str(seed))
    rows = layout.sample(factory, count=3)
    text = layout.text(rows)
    assert text.startswith("sku,quantity,note,active\r\n")
    assert text.endswith("\r\n")
    read = _read(layout, text)
    assert read == rows
    assert factory.checker.is_valid(layout.rows, read)


def test_the_examples_phase_sends_the_csv_example_and_generated_rows() -> None:
    spec, operation = _operation(_twin())
    cases = [
        c
        for c in example_cases(operation, spec, ValueFactory(spec, 1))
        if c.media_type == "text/csv"
    ]
    assert next(c.body for c in cases) == EXAMPLE
    generated = cases[-1]
    assert generated.kind == "positive"
    assert not generated.edge
    layout, factory = _layout(_twin())
    assert factory.checker.is_valid(layout.rows, _read(layout, generated.body))


# Boundary variants ----------------------------------------------------------------------------


def _boundary(content: Mapping[str, Any]) -> dict[str, Case]:
    spec, operation = _operation(content)
    cases = boundary_cases(operation, spec, ValueFactory(spec, 2), max_cases=500)
    found = {}
    for case in cases:
        if case.media_type == "text/csv":
            found[str(case.note).split("body (text/csv): ", 1)[1]] = case
    return found


def _records(case: Case) -> list[list[str]]:
    assert isinstance(case.body, str), case.note
    return list(csv.reader(io.StringIO(case.body, newline="")))


def test_each_boundary_variant_is_what_it_says() -> None:
    found = _boundary(_twin())
    header = ["sku", "quantity", "note"]
    assert found["an empty file"].body == ""
    assert _records(found["the header alone, no rows"]) == [header]
    missing = _records(found["the required column 'sku' is missing"])
    assert missing[0] == ["quantity", "note"]
    assert all(len(r) == 2 for r in missing)
    extra = _records(found["an undeclared column 'unexpected_column'"])
    assert extra[0] == [*header, "unexpected_column"]
    assert extra[1][-1] == "surprise"
    assert found["a UTF-8 byte order mark"].body.startswith("\ufeffsku,")
    assert "\r" not in found["LF line ends"].body
    assert not found["no final line break"].body.endswith("\n")
    assert all(line.startswith('"') for line in found["every field quoted"].body.splitlines())
    quoted = found["column 'note' holds a comma, a double quote and a line break"]
    assert '"a, ""b""\nc"' in quoted.body
    assert _records(quoted)[1][2] == 'a, "b"\nc'
    broken = found["invalid UTF-8 bytes"]
    assert broken.body is None or broken.raw_body is not None
    with pytest.raises(UnicodeDecodeError):
        (broken.raw_body or b"").decode()
    assert len(_records(found["20 rows (maxItems 20)"])) == 21
    assert len(_records(found["21 rows (maxItems 20)"])) == 22
    assert _records(found["column 'quantity': 'abc' cannot be read as integer"])[1][1] == "abc"
    assert _records(found["column 'quantity': -1 is below the minimum 0"])[1][1] == "-1"
    assert _records(found["the columns in reverse order"])[0] == list(reversed(header))


def test_a_variant_is_positive_exactly_when_its_rows_match_the_row_schema() -> None:
    found = _boundary(_twin())
    negative = {
        "an empty file",
        "the required column 'sku' is missing",
        "an undeclared column 'unexpected_column'",
        "invalid UTF-8 bytes",
        "21 rows (maxItems 20)",
        "column 'quantity': 'abc' cannot be read as integer",
        "column 'quantity': 501 is above the maximum 500",
        "column 'sku': an empty cell",
    }
    positive = {
        "the header alone, no rows",
        "a UTF-8 byte order mark",
        "LF line ends",
        "every field quoted",
        "20 rows (maxItems 20)",
        "column 'quantity': 500: the largest valid value",
        "column 'note' holds a comma, a double quote and a line break",
    }
    for label in negative:
        assert found[label].kind == "negative", label
        assert found[label].mutation is not None
    for label in positive:
        assert found[label].kind == "positive", label


def test_only_the_empty_body_is_judged_by_the_spec() -> None:
    spec, _ = _operation(_twin())
    validator = SpecValidator(spec)
    found = _boundary(_twin())
    assert not found["an empty file"].edge
    assert request_violations(validator, found["an empty file"])
    unjudged = [c for label, c in found.items() if label != "an empty file"]
    assert unjudged
    assert all(c.edge for c in unjudged)
    assert all(not request_violations(validator, c) for c in unjudged if c.raw_body is None)


def test_row_counts_past_the_sending_bound_are_not_tried() -> None:
    items = {"$ref": "#/components/schemas/Row"}
    big = {**ROWS, "properties": {"rows": {"type": "array", "maxItems": 50_000, "items": items}}}
    spec, operation = _operation(_twin(), rows=big)
    cases = list(boundary_cases(operation, spec, ValueFactory(spec, 2), max_cases=500))
    assert any(c.media_type == "text/csv" for c in cases)
    assert not [c for c in cases if c.media_type == "text/csv" and "maxItems" in str(c.note)]


def test_the_json_body_keeps_its_own_variants() -> None:
    spec, operation = _operation(_twin())
    cases = list(boundary_cases(operation, spec, ValueFactory(spec, 2), max_cases=500))
    json_cases = [c for c in cases if c.media_type == "application/json"]
    assert any("body/rows/0/quantity" in str(c.mutation) for c in json_cases)
    assert Baseline.build(operation, ValueFactory(spec, 2)).media.media_type == "application/json"  # type: ignore[union-attr]


# Fuzz -------------------------------------------------------------------------------------------


def test_fuzzed_csv_rows_are_valid_and_hypothesis_draws_them_too() -> None:
    spec, operation = _operation(_twin())
    layout, factory = _layout(_twin())
    sent: list[Case] = []

    def execute(case: Case) -> bool:
        sent.append(case)
        return case.media_type == "text/csv" and len(sent) < 40  # a "finding": shrink it

    run_fuzz(operation, spec, execute, seed=4, max_examples=10, kind="positive")
    csv_cases = [c for c in sent if c.media_type == "text/csv"]
    assert len(csv_cases) > 10  # the sampled ones and hypothesis' shrinking draws
    for case in csv_cases:
        assert case.kind == "positive"
        assert case.phase == "fuzz"
        rows = list(csv.DictReader(io.StringIO(case.body, newline="")))
        assert rows
        assert all(set(r) == set(layout.columns) for r in rows)
        assert factory.checker.is_valid(layout.rows, _read(layout, case.body))


def test_no_negative_fuzzing_of_csv_bodies() -> None:
    spec, operation = _operation(_twin())
    sent: list[Case] = []
    run_fuzz(
        operation,
        spec,
        lambda c: sent.append(c) is None and False,
        seed=4,
        max_examples=10,
        kind="negative",
    )
    assert sent
    assert all(c.media_type != "text/csv" for c in sent)


# The engine -------------------------------------------------------------------------------------


def test_a_csv_import_gets_csv_bodies_in_the_examples_boundary_and_fuzz_phases() -> None:
    phases: dict[str, list[Case]] = {}

    def record(_: Engine, case: Case) -> None:
        if case.media_type == "text/csv":
            phases.setdefault(case.phase, []).append(case)

    settings = RunSettings(seed=1, max_examples=10, phases=("examples", "boundary", "fuzz"))
    app = imports_app.clean()
    with APITestClient(app, raise_app_exceptions=False, validate=False) as client:
        engine = Engine(client, settings, target="app")
        engine.listeners.append(record)
        result = engine.run()
    assert result.findings == []
    assert set(phases) == {"examples", "boundary", "fuzz"}
    assert len(phases["boundary"]) > 20
    assert len(phases["fuzz"]) >= 10


def test_the_same_seed_gives_the_same_csv_cases() -> None:
    first = [c.to_dict() for c in _boundary(_twin()).values()]
    assert first == [c.to_dict() for c in _boundary(_twin()).values()]
