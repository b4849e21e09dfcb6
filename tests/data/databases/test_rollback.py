"""Transaction rollback isolation: what the code under test commits does not outlive it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Annotated

import httpx2
import pytest
from fastapi import Depends, FastAPI
from sqlalchemy import Column, Engine, Integer, MetaData, String, Table, create_engine, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session, sessionmaker

from assay.client import APITestClient
from assay.data.databases.asynchronous import async_rollback_isolation
from assay.data.databases.postgres import PostgresServer
from assay.data.databases.rollback import rollback_isolation
from assay.data.databases.schemas import DatabaseSchema
from assay.errors import AssayError

METADATA = MetaData()
NOTES = Table(
    "rollback_notes",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("text", String(50), nullable=False),
)


def _count(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(NOTES)).scalar_one())


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def urls(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(sync URL, async URL) of an empty database with the notes table."""
    if request.param == "sqlite":
        path = tmp_path / "notes.db"
        engine = create_engine(f"sqlite:///{path}")
        METADATA.create_all(engine)
        engine.dispose()
        yield f"sqlite:///{path}", f"sqlite+aiosqlite:///{path}"
        return
    server = PostgresServer()
    database = server.clone(DatabaseSchema.from_metadata(METADATA, name="rollback"))
    url = database.url
    yield url, url
    database.drop()
    server.close()


@pytest.fixture
def engine(urls: tuple[str, str]) -> Iterator[Engine]:
    made = create_engine(urls[0])
    yield made
    made.dispose()


def test_commits_of_the_apps_factory_are_rolled_back(engine: Engine) -> None:
    app_sessions = sessionmaker(engine)
    before = dict(app_sessions.kw)
    with rollback_isolation(engine, factories=[app_sessions]) as db:
        with app_sessions() as session:
            session.execute(NOTES.insert().values(id=1, text="committed"))
            session.commit()
        with app_sessions() as session:
            session.execute(NOTES.insert().values(id=2, text="rolled back by the app"))
            session.rollback()
        seen = db.session().execute(select(NOTES.c.text)).scalars().all()
        assert seen == ["committed"]
    assert _count(engine) == 0
    assert app_sessions.kw == before


def test_without_isolation_the_row_stays(engine: Engine) -> None:
    with sessionmaker(engine)() as session:
        session.execute(NOTES.insert().values(id=1, text="kept"))
        session.commit()
    assert _count(engine) == 1


def get_session() -> Iterator[Session]:
    """The app's own session dependency: the test must replace it."""
    raise RuntimeError("the session dependency was not overridden")
    yield  # pragma: no cover


def test_a_fastapi_session_dependency_is_overridden_and_restored(engine: Engine) -> None:
    app = FastAPI()

    @app.post("/notes/{note_id}", status_code=201)
    def add(note_id: int, session: Annotated[Session, Depends(get_session)]) -> int:
        session.execute(NOTES.insert().values(id=note_id, text="from the app"))
        session.commit()
        return int(session.execute(select(func.count()).select_from(NOTES)).scalar_one())

    with APITestClient(app, spec=None) as client, rollback_isolation(engine) as db:
        db.override(app, get_session)
        assert client.post("/notes/1").json() == 1
        assert client.post("/notes/2").json() == 2
    assert app.dependency_overrides == {}
    assert _count(engine) == 0


def test_an_app_without_overrides_is_refused(engine: Engine) -> None:
    with rollback_isolation(engine) as db, pytest.raises(AssayError, match="dependency_overrides"):
        db.override(object(), lambda: None)


def test_async_sessions_are_rolled_back(urls: tuple[str, str], engine: Engine) -> None:
    async def scenario() -> list[str]:
        async_engine = create_async_engine(urls[1])
        app_sessions = async_sessionmaker(async_engine)
        try:
            async with async_rollback_isolation(async_engine, factories=[app_sessions]) as db:
                async with app_sessions() as session:
                    await session.execute(NOTES.insert().values(id=1, text="async commit"))
                    await session.commit()
                reader: AsyncSession = db.session()
                seen = (await reader.execute(select(NOTES.c.text))).scalars().all()
            return list(seen)
        finally:
            await async_engine.dispose()

    assert asyncio.run(scenario()) == ["async commit"]
    assert _count(engine) == 0


async def get_async_session() -> AsyncIterator[AsyncSession]:
    """The app's own async session dependency: the test must replace it."""
    raise RuntimeError("the session dependency was not overridden")
    yield  # pragma: no cover


AsyncSessionDependency = Annotated[AsyncSession, Depends(get_async_session)]


def test_an_async_fastapi_dependency_is_rolled_back(urls: tuple[str, str], engine: Engine) -> None:
    app = FastAPI()

    @app.post("/notes/{note_id}", status_code=201)
    async def add(note_id: int, session: AsyncSessionDependency) -> int:
        await session.execute(NOTES.insert().values(id=note_id, text="async app"))
        await session.commit()
        counted = await session.execute(select(func.count()).select_from(NOTES))
        return int(counted.scalar_one())

    async def scenario() -> list[int]:
        async_engine = create_async_engine(urls[1])
        transport = httpx2.ASGITransport(app=app)
        try:
            async with (
                async_rollback_isolation(async_engine) as db,
                httpx2.AsyncClient(transport=transport, base_url="http://test") as client,
            ):
                db.override(app, get_async_session)
                return [(await client.post(f"/notes/{n}")).json() for n in (1, 2)]
        finally:
            await async_engine.dispose()

    assert asyncio.run(scenario()) == [1, 2]
    assert app.dependency_overrides == {}
    assert _count(engine) == 0
