"""`n_plus_one_queries`: fires on a statement per listed item, confirmed; silent on honest
growth (a constant extra statement, loading in batches, a short page) and off its phase."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any

import pytest
from fastapi import FastAPI, Query
from sqlalchemy import Connection, Engine, create_engine, text
from tests.checks.bench import Probe
from tests.checks.conftest import MakeBench

from assay.checks.queries import Page, per_item_growth, shape
from assay.client import APITestClient

Loader = Callable[[Connection, list[int]], dict[int, list[str]]]
PAGE = {"name": "queries", "step": "page_sizes", "parameter": "limit", "small": 2, "large": 8}


def _tags(connection: Connection, ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {i: [] for i in ids}
    if not ids:
        return found
    marks = ", ".join(str(i) for i in ids)
    for item_id, tag in connection.execute(
        text(f"SELECT item_id, tag FROM tags WHERE item_id IN ({marks})")
    ):
        found[item_id].append(tag)
    return found


def per_item(connection: Connection, ids: list[int]) -> dict[int, list[str]]:
    return {i: _tags(connection, [i])[i] for i in ids}


def one_query(connection: Connection, ids: list[int]) -> dict[int, list[str]]:
    return _tags(connection, ids)


def in_batches(connection: Connection, ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for start in range(0, len(ids), 3):
        found.update(_tags(connection, ids[start : start + 3]))
    return found


def _cached() -> Loader:
    cache: dict[int, list[str]] = {}

    def load(connection: Connection, ids: list[int]) -> dict[int, list[str]]:
        for i in ids:
            if i not in cache:
                cache[i] = _tags(connection, [i])[i]
        return {i: cache[i] for i in ids}

    return load


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    made = create_engine(f"sqlite:///{tmp_path / 'items.db'}")
    with made.begin() as connection:
        connection.execute(text("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)"))
        connection.execute(text("CREATE TABLE tags (item_id INTEGER, tag TEXT)"))
    yield made
    made.dispose()


def _app(
    engine: Engine,
    load: Loader,
    *,
    items: int = 12,
    read_ahead: bool = False,
    count_when_full: bool = False,
) -> FastAPI:
    with engine.begin() as connection:
        for n in range(1, items + 1):
            connection.execute(text(f"INSERT INTO items VALUES ({n}, 'item {n}')"))
            connection.execute(text(f"INSERT INTO tags VALUES ({n}, 'tag {n}')"))
    app = FastAPI()

    @app.get("/items")
    def listing(limit: Annotated[int, Query(ge=1, le=50)] = 10) -> dict[str, Any]:
        fetched = limit + 1 if read_ahead else limit
        with engine.connect() as connection:
            rows = connection.execute(
                text(f"SELECT id, name FROM items ORDER BY id LIMIT {fetched}")
            )
            found = list(rows)
            tags = load(connection, [row.id for row in found])
            total = None
            if count_when_full and len(found) >= limit:
                total = connection.execute(text("SELECT count(*) FROM items")).scalar()
        shown = [{"id": r.id, "name": r.name, "tags": tags[r.id]} for r in found[:limit]]
        return {"items": shown, "total": total}

    return app


def _page(**query: Any) -> Probe:
    return Probe("GET /items", query=query or {"limit": 8}, phase="queries", scenario=PAGE)


def test_fires_on_one_statement_per_listed_item(bench: MakeBench, engine: Engine) -> None:
    (found,) = bench(_app(engine, per_item)).fired("n_plus_one_queries", _page())
    assert found.operation == "GET /items"
    pages = found.evidence["pages"]
    assert [(p["size"], p["items"], p["statements"]) for p in pages] == [(2, 2, 3), (8, 8, 9)]
    assert "?limit=2" in pages[0]["request"]
    assert "?limit=8" in pages[1]["request"]
    assert [p["size"] for p in found.evidence["confirmed"]] == [2, 8]
    assert found.evidence["runs"] == {"small": 2, "large": 8}
    assert "FROM tags WHERE item_id IN (?)" in found.evidence["repeated_statement"]


def test_fires_when_the_page_reads_one_row_ahead(bench: MakeBench, engine: Engine) -> None:
    app = _app(engine, per_item, read_ahead=True)
    (found,) = bench(app).fired("n_plus_one_queries", _page())
    assert found.evidence["runs"] == {"small": 3, "large": 9}


def test_silent_when_the_page_loads_in_one_statement(bench: MakeBench, engine: Engine) -> None:
    assert bench(_app(engine, one_query)).fired("n_plus_one_queries", _page()) == []


@pytest.mark.parametrize(
    ("load", "options"),
    [
        (one_query, {"count_when_full": True}),  # a constant extra statement
        (in_batches, {}),  # one statement per three items: grows, but not per item
        (per_item, {"items": 4}),  # pages of 2 and 4 items: too close to tell
        (one_query, {"items": 5, "count_when_full": True}),  # a count only on a full page
    ],
    ids=["constant-extra", "batches", "short-collection", "count-when-full"],
)
def test_silent_on_honest_growth(
    bench: MakeBench, engine: Engine, load: Loader, options: dict[str, Any]
) -> None:
    assert bench(_app(engine, load, **options)).fired("n_plus_one_queries", _page()) == []


def test_silent_when_the_second_pair_does_not_confirm(bench: MakeBench, engine: Engine) -> None:
    """A cache warms on the first pair: the second pair runs no per-item statement."""
    assert bench(_app(engine, _cached())).fired("n_plus_one_queries", _page()) == []


def test_silent_off_its_phase_and_on_an_app_without_a_database(
    bench: MakeBench, engine: Engine
) -> None:
    made = bench(_app(engine, per_item))
    assert made.fired("n_plus_one_queries", Probe("GET /items", query={"limit": 8})) == []
    memory = FastAPI()

    @memory.get("/items")
    def listing(limit: Annotated[int, Query(ge=1, le=50)] = 10) -> list[int]:
        return list(range(limit))

    assert bench(memory).fired("n_plus_one_queries", _page()) == []


def test_silent_on_a_url_target(bench: MakeBench, engine: Engine) -> None:
    made = bench(_app(engine, per_item))
    exchange = made.send(_page())
    made.context.client = APITestClient(base_url="http://127.0.0.1:9", spec=None)
    try:
        assert made.run(exchange, ["n_plus_one_queries"]) == []
    finally:
        made.context.client.close()


def test_growth_is_measured_per_statement_shape() -> None:
    small = Page(2, 2, Counter({"SELECT a": 1, "SELECT b WHERE id = ?": 2}), "")
    large = Page(8, 8, Counter({"SELECT a": 1, "SELECT b WHERE id = ?": 8}), "")
    assert per_item_growth(small, large) == ("SELECT b WHERE id = ?", 6)
    assert per_item_growth(small, Page(4, 4, large.statements, "")) is None
    assert shape("SELECT *  FROM t WHERE id = 12 AND name = 'it''s'") == (
        "SELECT * FROM t WHERE id = ? AND name = ?"
    )
