"""Creating or migrating the database schema of a shop process."""

from __future__ import annotations

import importlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError, ProgrammingError

from shop.identity import identity_metadata
from shop.platform.database import Base
from shop.platform.services import SERVICE_NAMES

if TYPE_CHECKING:
    from alembic.config import Config

logger = logging.getLogger("shop.schema")
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def import_table_modules(services: tuple[str, ...] = SERVICE_NAMES) -> None:
    """Import ``shop.<service>.adapters.tables`` so every table is on ``Base.metadata``.

    A process serving some services still creates (and migrates) the whole schema.
    """
    for name in services:
        try:
            importlib.import_module(f"shop.{name}.adapters.tables")
        except ModuleNotFoundError as exc:
            if exc.name not in (f"shop.{name}.adapters.tables", f"shop.{name}"):
                raise
            logger.debug("service %s has no tables module", name)


def create_schema(engine: Engine) -> None:
    """Create every missing table (service tables and identity's).

    Several processes starting on one database may race; the loser retries once and
    then finds the tables in place.
    """
    import_table_modules()
    for attempt in range(3):
        try:
            Base.metadata.create_all(engine)
            identity_metadata.create_all(engine)
            return
        except (OperationalError, ProgrammingError):
            if attempt == 2:
                raise
            logger.info("schema creation raced with another process; retrying")


def alembic_config(engine: Engine) -> Config:
    """The Alembic configuration of the shop's migrations, bound to ``engine``."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    config.attributes["engine"] = engine
    return config


def upgrade_schema(engine: Engine, revision: str = "head") -> None:
    """Run the Alembic migrations on ``engine`` up to ``revision``."""
    from alembic import command

    command.upgrade(alembic_config(engine), revision)
