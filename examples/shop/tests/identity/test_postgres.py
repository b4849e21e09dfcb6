"""The identity subsystem on a real PostgreSQL, sharing an engine the app provides."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from starlette.testclient import TestClient

from assay import PostgresDatabase
from shop.identity import IdentitySettings

from .identity_app import bearer, make_app, password_grant
from .test_concurrency import race_refresh


@pytest.fixture
def pg_engine(fresh_postgres_database: PostgresDatabase) -> Iterator[Engine]:
    """A database of the test's own, cloned from the shop's schema template by assay."""
    engine = create_engine(fresh_postgres_database.url)
    yield engine
    engine.dispose()


def _refresh(client: TestClient, token: str) -> Any:
    return client.post("/v1/token", data={"grant_type": "refresh_token", "refresh_token": token})


@pytest.mark.postgres
def test_tokens_rotation_and_console_on_postgres(
    settings: IdentitySettings, pg_engine: Engine
) -> None:
    app = make_app(replace(settings, engine=pg_engine))
    with TestClient(app, base_url="https://testserver") as client:
        tokens = password_grant(client).json()
        assert client.get("/v1/orders", headers=bearer(tokens["access_token"])).status_code == 200
        rotated = _refresh(client, tokens["refresh_token"])
        assert rotated.status_code == 200
        assert _refresh(client, tokens["refresh_token"]).status_code == 400
        assert _refresh(client, rotated.json()["refresh_token"]).status_code == 400
        login = {"email": "grace@example.com", "password": "correct horse battery staple"}
        csrf = client.post("/v1/console/login", json=login).json()["csrf_token"]
        assert client.post("/v1/stock", headers={"X-CSRF-Token": csrf}).status_code == 200
        assert client.get("/v1/orders", headers=bearer(tokens["access_token"])).status_code == 401
        runtime = app.state.shop_identity
        assert sorted(race_refresh(runtime)) == [False] * 7 + [True]
    with pg_engine.connect() as connection:
        tables = connection.execute(
            text("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'identity_%'")
        ).scalar_one()
    assert tables == 7
