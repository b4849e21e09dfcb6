"""PostgreSQL clones: one template per schema version, a database of its own per clone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Column, Engine, Integer, MetaData, Table, text

from assay.data.databases.postgres import PostgresServer
from assay.data.databases.schemas import DatabaseSchema

pytestmark = pytest.mark.postgres


def _metadata(*columns: str) -> MetaData:
    metadata = MetaData()
    Table(
        "clone_things",
        metadata,
        Column("id", Integer, primary_key=True),
        *(Column(name, Integer) for name in columns),
    )
    return metadata


@pytest.fixture
def server() -> Iterator[PostgresServer]:
    made = PostgresServer()
    yield made
    made.close()


def _tables(url_engine: Engine) -> list[str]:
    with url_engine.connect() as connection:
        rows = connection.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        )
        return [row[0] for row in rows]


def test_clones_have_the_schema_and_are_distinct(server: PostgresServer) -> None:
    schema = DatabaseSchema.from_metadata(_metadata(), name="Clone Test")
    first, second = server.clone(schema, owner="gw0"), server.clone(schema, owner="gw1")
    try:
        assert first.name != second.name
        assert first.name.startswith("assay_clone_test_gw0_")
        assert _tables(first.engine) == _tables(second.engine) == ["clone_things"]
        with first.engine.begin() as connection:
            connection.execute(text("INSERT INTO clone_things (id) VALUES (1)"))
        with second.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM clone_things")).scalar() == 0
    finally:
        first.drop()
        second.drop()
    assert not server.exists(first.name)
    assert server.exists(server.template(schema))


def test_the_fingerprint_follows_the_schema() -> None:
    one = DatabaseSchema.from_metadata(_metadata())
    same = DatabaseSchema.from_metadata(_metadata())
    other = DatabaseSchema.from_metadata(_metadata("extra"))
    assert one.fingerprint == same.fingerprint != other.fingerprint


def test_a_new_schema_version_sweeps_the_older_templates(server: PostgresServer) -> None:
    old = DatabaseSchema.from_metadata(_metadata(), name="sweep test")
    new = DatabaseSchema.from_metadata(_metadata("extra"), name="sweep test")
    neighbour = DatabaseSchema.from_metadata(_metadata(), name="sweep test two")
    kept = server.template(neighbour)
    try:
        first = server.template(old)
        assert server.templates(old) == [first]
        second = server.template(new)
        assert server.templates(new) == [second]
        assert not server.exists(first)
        assert server.exists(kept)  # another schema name is not touched
        clone = server.clone(old)  # its template was swept: built again for the clone
        try:
            assert _tables(clone.engine) == ["clone_things"]
        finally:
            clone.drop()
        assert server.templates(old) == [first]
    finally:
        for name in [*server.templates(old), kept]:
            server.drop_database(name)


def test_a_failed_build_leaves_no_template(server: PostgresServer) -> None:
    def explode(engine: object) -> None:
        raise RuntimeError("migration failed")

    broken = DatabaseSchema("broken", explode, "f" * 64)
    with pytest.raises(RuntimeError, match="migration failed"):
        server.template(broken)
    assert not server.exists(f"assay_tpl_broken_{'f' * 12}")


def test_alembic_migrations_build_the_template(server: PostgresServer, tmp_path: Path) -> None:
    scripts = tmp_path / "migrations"
    (scripts / "versions").mkdir(parents=True)
    (scripts / "env.py").write_text(ENV, encoding="utf-8")
    (scripts / "script.py.mako").write_text("", encoding="utf-8")
    (scripts / "versions" / "0001_things.py").write_text(REVISION, encoding="utf-8")
    schema = DatabaseSchema.from_alembic(scripts, name="alembic clone")
    database = server.clone(schema)
    try:
        assert _tables(database.engine) == ["alembic_things", "alembic_version"]
    finally:
        database.drop()


ENV = """
from alembic import context
from sqlalchemy import create_engine

engine = context.config.attributes["engine"]
with engine.connect() as connection:
    context.configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
"""

REVISION = """
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade():
    op.create_table("alembic_things", sa.Column("id", sa.Integer, primary_key=True))
"""
