"""Alembic, driven programmatically: its configuration bound to one database, revision
lookup (with a helpful error for an unknown one), upgrade and downgrade.

Needs the ``db`` extra (Alembic); imported only when a harness is created.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import Script, ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util.exc import CommandError

from assay.errors import AssayError

__all__ = ["AlembicSource", "Revisions", "bound_config"]

AlembicSource = Config | str | Path
"""An Alembic `Config`, the path of an ``alembic.ini``, or a script directory (the folder
holding ``env.py`` and ``versions/``)."""


def bound_config(source: AlembicSource, database_url: str) -> Config:
    """A fresh Alembic configuration of `source` whose ``sqlalchemy.url`` is `database_url`."""
    if isinstance(source, Config):
        config = Config(source.config_file_name) if source.config_file_name else Config()
        location = source.get_main_option("script_location")
        if location:
            config.set_main_option("script_location", location)
    else:
        config = _config_of(Path(source))
    if not config.get_main_option("script_location"):
        raise AssayError(
            "the Alembic configuration names no script_location",
            hint="Pass the migrations folder (the one with env.py) or an alembic.ini that "
            "sets script_location.",
        )
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def _config_of(path: Path) -> Config:
    if path.is_file():
        return Config(str(path))
    if path.is_dir():
        config = Config()
        config.set_main_option("script_location", str(path))
        return config
    raise AssayError(
        f"no Alembic configuration at {path}",
        hint="Pass the migrations folder (the one with env.py and versions/), the path of "
        "alembic.ini, or an alembic.config.Config.",
    )


class Revisions:
    """The revisions of one Alembic script directory, applied to the configured database."""

    def __init__(self, config: Config) -> None:
        self.config = config
        try:
            self.script = ScriptDirectory.from_config(config)
        except CommandError as exc:
            raise AssayError(
                f"cannot read the Alembic scripts: {exc}",
                hint="Pass the migrations folder that holds env.py and versions/.",
            ) from None
        if not Path(self.script.env_py_location).is_file():
            raise AssayError(
                f"the Alembic script directory {self.script.dir} has no env.py",
                hint="Point the harness at the folder `alembic init` created.",
            )

    def known(self) -> list[str]:
        """Every revision id, oldest first."""
        return [s.revision for s in reversed(list(self.script.walk_revisions()))]

    def resolve(self, revision: str) -> str:
        """The full id of `revision` (a prefix or ``head`` work); `AssayError` if unknown."""
        if revision == "base":
            return revision
        try:
            found = self.script.get_revision(revision)
        except (CommandError, RevisionError):
            found = None
        if found is None:
            raise AssayError(
                f"unknown Alembic revision {revision!r}",
                hint=f"Choose one of: {', '.join(self.known()) or 'none (no migrations yet)'}.",
            )
        return found.revision

    def next_after(self, revision: str) -> str:
        """The one revision that follows `revision`; `AssayError` at a head or a branch."""
        start = self.resolve(revision)
        following = [s.revision for s in self.script.walk_revisions() if _comes_after(s, start)]
        if len(following) == 1:
            return following[0]
        if not following:
            raise AssayError(
                f"revision {start} is a head: there is no migration after it",
                hint=f"Test the migration that leads to it: run(<its down revision>, {start!r}).",
            )
        raise AssayError(
            f"revision {start} branches into {', '.join(sorted(following))}",
            hint="Name the target revision: run(start, target).",
        )

    def current(self, connection: object) -> str:
        """The revision the database is at (``base`` when it has none)."""
        from alembic.migration import MigrationContext

        context = MigrationContext.configure(connection)  # type: ignore[arg-type]
        heads = context.get_current_heads()
        return heads[0] if heads else "base"

    def upgrade(self, revision: str) -> None:
        """Run the migrations up to `revision`."""
        command.upgrade(self.config, revision)

    def downgrade(self, revision: str) -> None:
        """Run the migrations down to `revision`."""
        command.downgrade(self.config, revision)


def _comes_after(script: Script, start: str) -> bool:
    down = script.down_revision
    downs = (down,) if isinstance(down, str) else tuple(down or ())
    if start == "base":
        return not downs
    return start in downs
