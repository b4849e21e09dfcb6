"""The harness's side of the database: connecting, reflecting the schema as it is at the
current revision, reading snapshots, inserting rows, and probing constraints.

The ORM models of an application describe its head revision; everything here works on
the schema reflected from the database instead, so it is right at any revision.
`scratch_database` creates a throwaway PostgreSQL database (through the data layer's
`PostgresServer`) and drops it afterwards.
Needs the ``db`` extra (SQLAlchemy).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, OperationalError

from assay.contract.migrations.snapshots import Row, Snapshot, TableRows, key_token
from assay.errors import AssayError

__all__ = [
    "accepts",
    "connect",
    "declared_nullable",
    "insert_rows",
    "masked",
    "reflect",
    "scratch_database",
    "snapshot",
]

VERSION_TABLE = "alembic_version"


def masked(url: str) -> str:
    """`url` with its password hidden, for messages."""
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return url


def connect(url: str) -> sa.Engine:
    """An engine on `url` that has been seen to connect; `AssayError` otherwise."""
    try:
        engine = sa.create_engine(url)
    except (sa.exc.ArgumentError, ImportError) as exc:
        raise AssayError(
            f"cannot use the database URL {masked(url)}: {exc}",
            hint="Give a SQLAlchemy URL such as sqlite:///path/to/test.db or "
            "postgresql+psycopg://user@127.0.0.1:5432/name (with its driver installed).",
        ) from None
    try:
        with engine.connect():
            pass
    except OperationalError as exc:
        engine.dispose()
        raise AssayError(
            f"cannot connect to the database {masked(url)}: {_first_line(exc)}",
            hint="Start the database server, or check the host, port, user and database "
            "name in the URL.",
        ) from None
    return engine


def _first_line(exc: BaseException) -> str:
    origin = getattr(exc, "orig", None) or exc
    return str(origin).strip().splitlines()[0] if str(origin).strip() else type(exc).__name__


def reflect(engine: sa.Engine, tables: Iterable[str] | None = None) -> sa.MetaData:
    """The schema as the database has it now (only `tables` that exist, when given)."""
    metadata = sa.MetaData()
    existing = set(sa.inspect(engine).get_table_names()) - {VERSION_TABLE}
    wanted = existing if tables is None else existing & set(tables)
    metadata.reflect(engine, only=sorted(wanted))
    return metadata


def snapshot(engine: sa.Engine, revision: str, tables: Iterable[str]) -> Snapshot:
    """Every row of the `tables` that exist at this revision."""
    metadata = reflect(engine, tables)
    read: dict[str, TableRows] = {}
    with engine.connect() as connection:
        for name, table in metadata.tables.items():
            read[name] = _table_rows(connection, table, revision)
    return Snapshot(revision, read)


def _table_rows(connection: sa.Connection, table: sa.Table, revision: str) -> TableRows:
    keys = tuple(c.name for c in table.primary_key.columns) or tuple(table.columns.keys())
    order = [table.c[k] for k in keys]
    rows: dict[tuple[Any, ...], Row] = {}
    for record in connection.execute(sa.select(table).order_by(*order)).mappings():
        values = dict(record)
        rows[tuple(key_token(values[k]) for k in keys)] = Row(table.name, revision, values)
    return TableRows(table.name, revision, keys, tuple(table.columns.keys()), rows)


def insert_rows(engine: sa.Engine, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """Insert `rows` into `table` in one transaction; a refused row is an `AssayError`."""
    if not rows:
        return
    try:
        with engine.begin() as connection:
            connection.execute(table.insert(), rows)
    except DBAPIError as exc:
        raise AssayError(
            f"the database refused the rows for {table.name}: {_first_line(exc)}",
            hint="Give values that satisfy the table's constraints at this revision in the "
            "fill rows (CHECK constraints and cross-column rules cannot be guessed).",
        ) from None


def declared_nullable(engine: sa.Engine, table: str, columns: Iterable[str]) -> list[str]:
    """Which of `columns` the schema lets hold NULL (or lacks), as the database says."""
    found = {c["name"]: c["nullable"] for c in sa.inspect(engine).get_columns(table)}
    return [c for c in columns if found.get(c, True)]


def accepts(
    engine: sa.Engine, table: sa.Table, key: Mapping[str, Any], change: Mapping[str, Any]
) -> bool:
    """Whether the database accepts `change` to the row with primary key `key` (the
    attempt is always rolled back)."""
    where = [table.c[name] == value for name, value in key.items()]
    with engine.connect() as connection:
        transaction = connection.begin()
        try:
            connection.execute(sa.update(table).where(*where).values(**change))
        except DBAPIError:
            return False
        finally:
            transaction.rollback()
    return True


@contextmanager
def scratch_database(server_url: str | None = None) -> Iterator[str]:
    """A new, empty PostgreSQL database on the server of `server_url` (default: the
    test server, ``ASSAY_POSTGRES_URL``); yields its URL and drops it afterwards
    (closing any connection left)."""
    from assay.data.databases.postgres import PostgresServer

    server = PostgresServer(server_url)
    try:
        database = server.new_database(owner="migration")
    except OperationalError as exc:
        server.close()
        raise AssayError(
            f"cannot create a scratch database on {masked(server.url)}: {_first_line(exc)}",
            hint="Start PostgreSQL, or give a server URL whose user may CREATE DATABASE.",
        ) from None
    try:
        yield database.url
    finally:
        database.drop()
        server.close()
