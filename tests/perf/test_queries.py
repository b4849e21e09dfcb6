"""`count_queries`: what it counts, whose statements count, nesting, and no SQLAlchemy."""

from __future__ import annotations

import sys
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.ext.asyncio import create_async_engine

import assay
from assay.client import APITestClient
from assay.errors import AssayError
from assay.perf import queries
from assay.perf.queries import QueryCount, count_queries, counting_available


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    made = create_engine(f"sqlite:///{tmp_path / 'test.db'}")
    yield made
    made.dispose()


def _select(engine: Engine, *values: int) -> None:
    with engine.connect() as connection:
        for value in values:
            connection.execute(text(f"SELECT {value}"))


def _app(engine: Engine, url: str) -> FastAPI:
    """Endpoints that run statements in the threadpool, on an async engine, in a thread."""
    state: dict[str, object] = {}

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state["async"] = create_async_engine(url)
        yield
        await state["async"].dispose()  # type: ignore[attr-defined]

    app = FastAPI(lifespan=lifespan)

    @app.get("/sync")
    def in_the_threadpool() -> int:
        _select(engine, 1, 1)
        return 2

    @app.get("/async")
    async def on_the_async_engine() -> int:
        async with state["async"].connect() as connection:  # type: ignore[attr-defined]
            await connection.execute(text("SELECT 3"))
        return 1

    @app.get("/thread")
    def in_a_thread_of_its_own() -> int:
        worker = threading.Thread(target=_select, args=(engine, 5))
        worker.start()
        worker.join()
        return 1

    return app


@pytest.fixture
def client(engine: Engine, tmp_path: Path) -> Iterator[APITestClient]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'async.db'}"
    with APITestClient(_app(engine, url), spec=None, validate=False) as made:
        yield made


def test_counts_the_statements_of_the_block_in_order(engine: Engine) -> None:
    _select(engine, 0)  # outside: not counted
    with count_queries() as counted:
        _select(engine, 1, 2, 2)
    _select(engine, 3)
    assert counted.count == 3
    assert counted.statements == ["SELECT 1", "SELECT 2", "SELECT 2"]
    assert counted.repeated() == [("SELECT 2", 2)]
    assert repr(counted) == "<QueryCount 3 statements, 'SELECT 2' ran 2 times>"


def test_an_engine_made_before_counting_began_is_seen(tmp_path: Path) -> None:
    older = create_engine(f"sqlite:///{tmp_path / 'older.db'}")
    try:
        _select(older, 1)
        with count_queries() as counted:
            _select(older, 1)
        assert counted.count == 1
    finally:
        older.dispose()


def test_a_request_counts_its_threadpool_and_async_engine_statements(
    client: APITestClient,
) -> None:
    client.get("/sync")  # start-up work happens outside the block
    with count_queries() as counted:
        client.get("/sync")
        client.get("/async")
    assert counted.statements == ["SELECT 1", "SELECT 1", "SELECT 3"]


def test_a_thread_started_elsewhere_is_not_counted_unless_everywhere(
    client: APITestClient,
) -> None:
    with count_queries() as attributed, count_queries(everywhere=True) as everywhere:
        client.get("/thread")
    assert attributed.count == 0
    assert everywhere.statements == ["SELECT 5"]


def test_background_work_running_meanwhile_is_not_counted(engine: Engine) -> None:
    started, stop = threading.Event(), threading.Event()

    def relay() -> None:
        while not stop.is_set():
            _select(engine, 9)
            started.set()

    worker = threading.Thread(target=relay)
    worker.start()
    try:
        started.wait(5)
        with count_queries() as counted:
            _select(engine, 1)
    finally:
        stop.set()
        worker.join()
    assert counted.statements == ["SELECT 1"]


def test_blocks_nest_and_each_counts_its_own(engine: Engine) -> None:
    with count_queries() as outer:
        _select(engine, 1)
        with count_queries() as inner:
            _select(engine, 2)
        _select(engine, 3)
    assert outer.statements == ["SELECT 1", "SELECT 2", "SELECT 3"]
    assert inner.statements == ["SELECT 2"]


def test_an_everywhere_block_inside_another_counts_once(engine: Engine) -> None:
    with count_queries(everywhere=True) as everywhere, count_queries() as attributed:
        _select(engine, 1)
    assert everywhere.count == attributed.count == 1


def test_statements_after_the_block_are_ignored() -> None:
    counted = QueryCount()
    counted.add("SELECT 1")
    counted.close()
    counted.add("SELECT 2")
    assert counted.statements == ["SELECT 1"]
    assert repr(counted) == "<QueryCount 1 statement>"


def test_the_public_names(engine: Engine) -> None:
    with assay.count_queries() as counted:
        _select(engine, 1)
    assert isinstance(counted, assay.QueryCount)
    assert counted.count == 1


def test_without_sqlalchemy_counting_says_it_is_unavailable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(queries, "_LISTENER", queries._Listener())
    monkeypatch.setitem(sys.modules, "sqlalchemy", None)
    assert not counting_available()
    with pytest.raises(AssayError, match="needs SQLAlchemy") as raised, count_queries():
        pass
    assert "pip install 'assay[db]'" in str(raised.value)
