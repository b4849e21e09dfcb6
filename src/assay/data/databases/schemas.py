"""`DatabaseSchema`: how to build a database's schema, and a fingerprint of it.

The fingerprint names the template database, so a template is built once per schema
version and reused by later runs and by every worker of a run.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, MetaData
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateIndex, CreateTable

__all__ = ["DatabaseSchema"]


@dataclass(frozen=True, slots=True)
class DatabaseSchema:
    """A schema: ``build(engine)`` creates it in an empty database.

    Make one with `from_metadata` (``create_all``) or `from_alembic` (``upgrade head``);
    ``fingerprint`` changes whenever the schema does.
    """

    name: str
    build: Callable[[Engine], None] = field(repr=False)
    fingerprint: str

    @property
    def slug(self) -> str:
        """`name` as it may appear in a database name (lower case, ``[a-z0-9_]``)."""
        return re.sub(r"[^a-z0-9_]+", "_", self.name.lower()).strip("_")[:20] or "schema"

    @classmethod
    def from_metadata(cls, *metadata: MetaData, name: str = "schema") -> DatabaseSchema:
        """The tables of ``metadata`` (one or more), created with ``create_all``."""

        def build(engine: Engine) -> None:
            for each in metadata:
                each.create_all(engine)

        ddl = "\n".join(_ddl(each) for each in metadata)
        return cls(name, build, hashlib.sha256(ddl.encode()).hexdigest())

    @classmethod
    def from_alembic(
        cls,
        script_location: str | Path,
        *,
        revision: str = "head",
        name: str = "schema",
        attributes: Mapping[str, Any] | None = None,
    ) -> DatabaseSchema:
        """The Alembic migrations in ``script_location``, upgraded to ``revision``.

        The migration environment gets the database's URL as ``sqlalchemy.url`` and the
        engine as ``config.attributes["engine"]`` (plus ``attributes``). The fingerprint
        covers every file of the script directory.
        """
        location = Path(script_location)

        def build(engine: Engine) -> None:
            from alembic import command
            from alembic.config import Config

            config = Config()
            config.set_main_option("script_location", str(location))
            url = engine.url.render_as_string(hide_password=False).replace("%", "%%")
            config.set_main_option("sqlalchemy.url", url)
            config.attributes.update({"engine": engine, **(attributes or {})})
            command.upgrade(config, revision)

        digest = hashlib.sha256(revision.encode())
        for path in sorted(location.rglob("*.py")):
            digest.update(path.relative_to(location).as_posix().encode())
            digest.update(path.read_bytes())
        return cls(name, build, digest.hexdigest())


def _ddl(metadata: MetaData) -> str:
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    statements = []
    for table in metadata.sorted_tables:
        statements.append(str(CreateTable(table).compile(dialect=dialect)))
        statements.extend(
            str(CreateIndex(index).compile(dialect=dialect))
            for index in sorted(table.indexes, key=lambda i: str(i.name))
        )
    return "\n".join(statements)
