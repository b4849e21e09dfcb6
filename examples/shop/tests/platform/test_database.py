"""Engines: foreign keys on SQLite, and concurrent requests with nested units of work."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx2
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from shop.bootstrap import create_app
from shop.platform.database import is_memory_sqlite, make_engine, ping
from shop.platform.settings import ShopSettings

from .fake_service import SERVICE
from .live_server import live_server


def test_memory_urls_are_recognised() -> None:
    assert is_memory_sqlite("sqlite://")
    assert is_memory_sqlite("sqlite:///:memory:")
    assert is_memory_sqlite("sqlite+pysqlite:///:memory:")
    assert not is_memory_sqlite("sqlite:///./shop.db")
    assert not is_memory_sqlite("postgresql+psycopg://postgres@127.0.0.1/shop")


def test_each_memory_engine_is_a_fresh_database_with_foreign_keys() -> None:
    first, second = make_engine("sqlite://"), make_engine("sqlite://")
    try:
        with first.begin() as connection:
            connection.execute(text("CREATE TABLE parent (id INTEGER PRIMARY KEY)"))
            connection.execute(
                text("CREATE TABLE child (id INTEGER PRIMARY KEY, p INTEGER REFERENCES parent)")
            )
        with pytest.raises(IntegrityError), first.begin() as connection:
            connection.execute(text("INSERT INTO child (id, p) VALUES (1, 42)"))
        with second.connect() as connection:
            tables = connection.execute(text("SELECT name FROM sqlite_master")).all()
        assert tables == []
        assert ping(second)
    finally:
        first.dispose()
        second.dispose()


def test_concurrent_requests_with_nested_units_of_work_do_not_block() -> None:
    app = create_app(ShopSettings(password_cost=4), services=[SERVICE])
    with live_server(app, lifespan="on") as url:
        created = httpx2.post(url + "/v1/widgets", json={"name": "w"}, timeout=10).json()

        def audit(_: int) -> int:
            response = httpx2.post(f"{url}/v1/widgets/{created['id']}/audit", timeout=10)
            return response.status_code

        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(audit, range(24)))
        assert statuses == [200] * 24
        final = httpx2.post(f"{url}/v1/widgets/{created['id']}/audit", timeout=10).json()
    assert final == {"widgets": 26}
