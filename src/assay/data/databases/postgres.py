"""One PostgreSQL database per test process, cloned from a template with the schema.

    server = PostgresServer()                       # postgresql+psycopg://postgres@127.0.0.1:5432
    database = server.clone(DatabaseSchema.from_metadata(Base.metadata), owner="gw0")
    engine = database.engine
    ...
    database.drop()

The template (``assay_tpl_<schema>_<fingerprint>``) is built once per schema version,
under an advisory lock so that parallel workers (and parallel runs) build it only once,
into a scratch name renamed when complete: a build that crashed leaves no half-built
template behind. Building a template drops the older templates of the same schema name
(other fingerprints: the schema changed since), so a server does not collect one template
per schema edit; a clone whose template was swept meanwhile builds it again. Each clone
(``CREATE DATABASE … TEMPLATE …``) gets a unique name, so two runs on one server never
share a database.
"""

from __future__ import annotations

import uuid
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.pool import NullPool

from assay.data.servers import POSTGRES

if TYPE_CHECKING:
    from assay.data.databases.schemas import DatabaseSchema

__all__ = ["PostgresDatabase", "PostgresServer"]


class PostgresDatabase:
    """A database of its own on a `PostgresServer`: ``url``, a lazy ``engine``, `drop()`."""

    def __init__(self, server: PostgresServer, name: str) -> None:
        self.server = server
        self.name = name
        self.url = server.url_of(name)
        self._engine: Engine | None = None

    @property
    def engine(self) -> Engine:
        """An engine on this database (created on first use, disposed by `drop`)."""
        if self._engine is None:
            self._engine = create_engine(self.url)
        return self._engine

    def drop(self) -> None:
        """Dispose the engine and drop the database (connections are closed by force)."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        self.server.drop_database(self.name)

    def __repr__(self) -> str:
        return f"PostgresDatabase({self.url!r})"


class PostgresServer:
    """Administration of a PostgreSQL server: create, clone and drop databases."""

    def __init__(self, url: str | None = None, *, maintenance_db: str = "postgres") -> None:
        self.url = (url or POSTGRES.url).rstrip("/")
        self._admin = create_engine(
            self.url_of(maintenance_db), isolation_level="AUTOCOMMIT", poolclass=NullPool
        )

    def url_of(self, database: str) -> str:
        """The SQLAlchemy URL of ``database`` on this server."""
        return f"{self.url}/{database}"

    def exists(self, name: str) -> bool:
        """True when the server has a database called ``name``."""
        with self._admin.connect() as connection:
            return _exists(connection, name)

    def create_database(self, name: str, *, template: str | None = None) -> PostgresDatabase:
        """``CREATE DATABASE name [TEMPLATE template]``."""
        with self._admin.connect() as connection:
            connection.execute(text(_create(name, template)))
        return PostgresDatabase(self, name)

    def new_database(self, *, owner: str = "main") -> PostgresDatabase:
        """A new, empty database with a unique name (for tests that build the schema)."""
        return self.create_database(f"assay_empty_{_slug(owner)}_{uuid.uuid4().hex[:8]}")

    def drop_database(self, name: str) -> None:
        """``DROP DATABASE IF EXISTS name WITH (FORCE)``."""
        with self._admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {_quote(name)} WITH (FORCE)"))

    def template(self, schema: DatabaseSchema) -> str:
        """The name of the template database holding ``schema``, built if missing."""
        name = _template_name(schema)
        with self._locked(name) as connection:
            self._ensure(connection, name, schema)
        return name

    def clone(self, schema: DatabaseSchema, *, owner: str = "main") -> PostgresDatabase:
        """A new database with ``schema``, copied from its template; ``owner`` (an xdist
        worker id) appears in the name to tell the databases of one run apart."""
        template = _template_name(schema)
        name = f"assay_{schema.slug}_{_slug(owner)}_{uuid.uuid4().hex[:8]}"
        with self._locked(template) as connection:
            self._ensure(connection, template, schema)
            connection.execute(text(_create(name, template)))
        return PostgresDatabase(self, name)

    def templates(self, schema: DatabaseSchema) -> list[str]:
        """The template databases on the server for ``schema``'s name, any fingerprint."""
        pattern = f"^assay_tpl_{schema.slug}_[0-9a-f]{{12}}$"
        with self._admin.connect() as connection:
            found = connection.execute(
                text("SELECT datname FROM pg_database WHERE datname ~ :p ORDER BY 1"),
                {"p": pattern},
            )
            return [str(row[0]) for row in found]

    def close(self) -> None:
        """Release the administration engine."""
        self._admin.dispose()

    @contextmanager
    def _locked(self, name: str) -> Iterator[Connection]:
        key = zlib.crc32(name.encode())
        with self._admin.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
            try:
                yield connection
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})

    def _ensure(self, connection: Connection, name: str, schema: DatabaseSchema) -> None:
        """Build the template ``name`` if it is missing, then sweep its older versions."""
        if _exists(connection, name):
            return
        self._build(connection, name, schema)
        for old in self.templates(schema):
            if old != name:
                with self._locked(old) as locked:
                    locked.execute(text(f"DROP DATABASE IF EXISTS {_quote(old)} WITH (FORCE)"))

    def _build(self, connection: Connection, name: str, schema: DatabaseSchema) -> None:
        scratch = f"{name[:40]}_build_{uuid.uuid4().hex[:8]}"
        connection.execute(text(_create(scratch, None)))
        engine = create_engine(self.url_of(scratch), poolclass=NullPool)
        try:
            schema.build(engine)
        except BaseException:
            engine.dispose()
            connection.execute(text(f"DROP DATABASE {_quote(scratch)} WITH (FORCE)"))
            raise
        engine.dispose()
        connection.execute(text(f"ALTER DATABASE {_quote(scratch)} RENAME TO {_quote(name)}"))


def _template_name(schema: DatabaseSchema) -> str:
    return f"assay_tpl_{schema.slug}_{schema.fingerprint[:12]}"


def _exists(connection: Connection, name: str) -> bool:
    found = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
    return found.first() is not None


def _create(name: str, template: str | None) -> str:
    suffix = f" TEMPLATE {_quote(template)}" if template else ""
    return f"CREATE DATABASE {_quote(name)}{suffix}"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _slug(text_: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text_.lower())[:16] or "main"
