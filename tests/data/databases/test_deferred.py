"""Deferred async isolation: an async app tested in-process by a sync test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Annotated

import pytest
from fastapi import Depends, FastAPI
from sqlalchemy import Engine, create_engine, func, select
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from sqlalchemy.pool import NullPool

from assay.client import APITestClient
from assay.data.databases.deferred import DeferredAsyncIsolation
from assay.data.databases.postgres import PostgresServer
from assay.data.databases.schemas import DatabaseSchema

from .test_rollback import METADATA, NOTES


async def get_session() -> AsyncIterator[AsyncSession]:
    """The app's own async session dependency: the test must replace it."""
    raise RuntimeError("the session dependency was not overridden")
    yield  # pragma: no cover


SessionDependency = Annotated[AsyncSession, Depends(get_session)]


def make_app() -> FastAPI:
    app = FastAPI()

    @app.post("/notes/{note_id}", status_code=201)
    async def add(note_id: int, session: SessionDependency) -> int:
        await session.execute(NOTES.insert().values(id=note_id, text="async app"))
        await session.commit()
        counted = await session.execute(select(func.count()).select_from(NOTES))
        return int(counted.scalar_one())

    return app


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def urls(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(sync URL, async URL) of a database with the notes table."""
    if request.param == "sqlite":
        path = tmp_path / "notes.db"
        engine = create_engine(f"sqlite:///{path}")
        METADATA.create_all(engine)
        engine.dispose()
        yield f"sqlite:///{path}", f"sqlite+aiosqlite:///{path}"
        return
    server = PostgresServer()
    database = server.clone(DatabaseSchema.from_metadata(METADATA, name="rollback"))
    yield database.url, database.url
    database.drop()
    server.close()


@pytest.fixture
def engine(urls: tuple[str, str]) -> Iterator[Engine]:
    made = create_engine(urls[0])
    yield made
    made.dispose()


def _count(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(NOTES)).scalar_one())


def test_the_apps_commits_are_rolled_back_on_its_own_loop(
    urls: tuple[str, str], engine: Engine
) -> None:
    app = make_app()
    isolation = DeferredAsyncIsolation(
        create_async_engine(urls[1], poolclass=NullPool), expire_on_commit=False
    )
    with APITestClient(app, spec=None) as client:
        isolation.override(app, get_session)
        assert client.post("/notes/1").json() == 1
        assert client.post("/notes/2").json() == 2
        isolation.close()
        assert app.dependency_overrides == {}
    assert _count(engine) == 0


def test_closing_before_any_request_is_fine() -> None:
    app = make_app()
    isolation = DeferredAsyncIsolation(create_async_engine("sqlite+aiosqlite://"))
    isolation.override(app, get_session)
    isolation.close()
    assert app.dependency_overrides == {}
