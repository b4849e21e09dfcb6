"""The queries phase: which lists it probes, the items it creates and deletes, and why
it skips."""

from __future__ import annotations

from typing import Annotated, Any

import pytest
from fastapi import FastAPI, Query
from pydantic import BaseModel, Field
from tests.corpus.apps import query_n_plus_one
from tests.events import RecordedEvents

from assay.engine import RunSettings, run_engine
from assay.generation import queries
from assay.generation.queries import size_parameter
from assay.spec import from_dict, load


def _run(target: Any, sink: RecordedEvents, spec: Any = None, **options: Any) -> Any:
    settings = RunSettings(phases=("queries",), seed=1, **options)
    return run_engine(target, settings=settings, sinks=[sink], spec=spec)


def _list(name: str, schema: dict[str, Any], location: str = "query") -> Any:
    parameter = {"name": name, "in": location, "schema": schema}
    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/items": {"get": {"parameters": [parameter], "responses": {"200": {}}}}},
    }
    return from_dict(document).operations[0]


@pytest.mark.parametrize(
    ("name", "schema", "sizes"),
    [
        ("limit", {"type": "integer"}, (2, 8)),
        ("pageSize", {"type": "integer", "maximum": 5}, (2, 5)),
        ("per_page", {"type": "integer", "minimum": 3}, (3, 8)),
        ("count", {}, (2, 8)),
        ("$top", {"type": "integer", "minimum": 1, "maximum": 100}, (2, 8)),
    ],
)
def test_the_page_size_parameter_and_the_sizes(
    name: str, schema: dict[str, Any], sizes: tuple[int, int]
) -> None:
    found = size_parameter(_list(name, schema))
    assert found is not None
    assert (found[0].name, found[1], found[2]) == (name, *sizes)


@pytest.mark.parametrize(
    ("name", "schema", "location"),
    [
        ("limit", {"type": "integer", "maximum": 4}, "query"),  # too little spread
        ("limit", {"type": "string"}, "query"),
        ("limit", {"type": "integer"}, "header"),
        ("offset", {"type": "integer"}, "query"),
    ],
)
def test_no_page_size_parameter(name: str, schema: dict[str, Any], location: str) -> None:
    assert size_parameter(_list(name, schema, location)) is None


def test_creates_the_items_a_page_needs_then_deletes_them() -> None:
    sink = RecordedEvents()
    result = _run(query_n_plus_one.defective(), sink)
    found = {(f.check, f.operation) for f in result.findings}
    assert ("n_plus_one_queries", "GET /authors") in found
    assert result.coverage["POST /authors"]["statuses"] == {"201": 9}  # the larger page + 1
    assert result.coverage["DELETE /authors/{author_id}"]["statuses"] == {"204": 9}
    assert sink.of("queries_leftovers") == []
    assert sink.skipped("queries") is None


def test_what_could_not_be_deleted_is_reported() -> None:
    sink = RecordedEvents()
    kept = ("GET /authors", "POST /authors", "GET /authors/{author_id}")  # no DELETE
    _run(query_n_plus_one.clean(), sink, operations=kept)
    (left,) = sink.of("queries_leftovers")
    assert left["count"] == 9
    assert left["items"][0]["reason"] == "no DELETE operation for it"


class Note(BaseModel):
    text: str = Field(min_length=1, max_length=20)


def _memory_app() -> FastAPI:
    app = FastAPI()
    notes: list[Note] = []

    @app.post("/notes", status_code=201)
    def add(note: Note) -> Note:
        notes.append(note)
        return note

    @app.get("/notes")
    def listing(limit: Annotated[int, Query(ge=1, le=50)] = 10) -> list[Note]:
        return notes[:limit]

    return app


def test_a_list_that_runs_no_statement_is_left_alone() -> None:
    sink = RecordedEvents()
    result = _run(_memory_app(), sink)
    assert result.coverage["POST /notes"]["cases"] == 0
    assert result.coverage["GET /notes"]["cases"] == 1  # the census
    assert sink.skipped("queries") is None


def test_skipped_on_a_url_target() -> None:
    sink = RecordedEvents()
    spec = load(query_n_plus_one.clean())
    result = _run("http://127.0.0.1:9", sink, spec=spec)
    assert result.cases == 0
    assert "URL" in (sink.skipped("queries") or "")


def test_skipped_without_sqlalchemy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queries, "counting_available", lambda: False)
    sink = RecordedEvents()
    _run(query_n_plus_one.clean(), sink)
    assert "SQLAlchemy is not installed" in (sink.skipped("queries") or "")


def test_skipped_without_a_sized_list() -> None:
    app = FastAPI()

    @app.get("/items")
    def listing() -> list[int]:
        return [1]

    sink = RecordedEvents()
    _run(app, sink)
    assert sink.skipped("queries") == "no list operation takes a page size"
