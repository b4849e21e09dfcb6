"""What sync and async rollback isolation share: the SQLite transaction fix, and binding
an application's session factory to the test's connection.

pysqlite begins transactions implicitly and ignores an explicit ``BEGIN`` from
SQLAlchemy, so a rollback would leave committed SAVEPOINTs behind. On SQLite the test's
connection is switched to manual transaction control and begins with ``BEGIN`` itself;
the setting is restored before the connection goes back to the pool.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any

from sqlalchemy import Connection

__all__ = ["JOIN_MODE", "DependencyOverrides", "FactoryBinding", "begin_outer", "restore_sqlite"]

JOIN_MODE = "create_savepoint"
"""Sessions join the outer transaction; their commits release SAVEPOINTs instead."""

_MISSING = object()


def begin_outer(connection: Connection) -> Callable[[], None]:
    """Begin the outer transaction's driver-level part; returns what undoes the setup.

    Call it after ``connection.begin()``. On SQLite it emits the ``BEGIN`` the driver
    would otherwise defer; elsewhere it does nothing.
    """
    if connection.dialect.name != "sqlite":
        return lambda: None
    dbapi = connection.connection.dbapi_connection
    previous = getattr(dbapi, "isolation_level", _MISSING)
    if dbapi is not None:
        dbapi.isolation_level = None
    connection.exec_driver_sql("BEGIN")
    return lambda: restore_sqlite(connection, previous)


def restore_sqlite(connection: Connection, previous: object) -> None:
    """Give the pooled SQLite connection its transaction setting back."""
    dbapi = connection.connection.dbapi_connection
    if dbapi is not None and previous is not _MISSING:
        dbapi.isolation_level = previous


class FactoryBinding:
    """Re-binds session factories (``sessionmaker``/``async_sessionmaker``) to one
    connection, and puts their configuration back afterwards."""

    def __init__(self, bind: Any) -> None:
        self._bind = bind
        self._saved: list[tuple[Any, dict[str, Any]]] = []

    def bind(self, factory: Any) -> None:
        """Make ``factory()`` open sessions inside the test's transaction."""
        kw: MutableMapping[str, Any] = factory.kw
        self._saved.append((factory, dict(kw)))
        factory.configure(bind=self._bind, join_transaction_mode=JOIN_MODE)

    def restore(self) -> None:
        """Every bound factory gets its original configuration back (newest first)."""
        while self._saved:
            factory, kw = self._saved.pop()
            factory.kw.clear()
            factory.kw.update(kw)


_MISSING = object()


class DependencyOverrides:
    """FastAPI ``dependency_overrides`` set for a test and put back as they were."""

    def __init__(self) -> None:
        self._saved: list[tuple[dict[Any, Any], Any, Any]] = []

    def install(self, app: Any, dependency: Any, replacement: Any) -> None:
        """``app.dependency_overrides[dependency] = replacement`` until `restore`."""
        overrides = _overrides_of(app)
        self._saved.append((overrides, dependency, overrides.get(dependency, _MISSING)))
        overrides[dependency] = replacement

    def restore(self) -> None:
        """Undo every override, newest first."""
        while self._saved:
            overrides, dependency, previous = self._saved.pop()
            if previous is _MISSING:
                overrides.pop(dependency, None)
            else:
                overrides[dependency] = previous


def _overrides_of(app: Any) -> dict[Any, Any]:
    overrides = getattr(app, "dependency_overrides", None)
    if not isinstance(overrides, dict):
        from assay.errors import AssayError

        raise AssayError(
            f"{type(app).__name__} has no `dependency_overrides`: only a FastAPI app's "
            "session dependency can be overridden",
            hint="Bind the app's session factory instead: isolation.bind(SessionLocal).",
        )
    return overrides
