"""assay's rollback isolation around the shop's own unit of work, on SQLite and PostgreSQL.

Every test below commits a batch through the real handlers, and every one starts by
checking that no earlier test's batch is left: whichever order they run in (and on
whichever xdist worker), each sees an empty table. ``db_isolation`` joins the unit of
work's sessions to one outer transaction with SAVEPOINTs and rolls it back at the end.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from assay import PostgresDatabase
from assay.data.databases.rollback import TransactionIsolation
from shop.allocation.adapters.repositories import SqlAllocationUnitOfWork
from shop.allocation.service_layer import commands, handlers
from shop.platform.database import make_engine
from shop.platform.schema import create_schema


@pytest.fixture(
    scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def db_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """The engine assay isolates on: a SQLite file per worker, or its PostgreSQL database."""
    if request.param == "postgres":
        database: PostgresDatabase = request.getfixturevalue("postgres_database")
        yield database.engine
        return
    engine = make_engine(f"sqlite:///{tmp_path_factory.getbasetemp() / 'isolation.db'}")
    create_schema(engine)
    yield engine
    engine.dispose()


@pytest.mark.parametrize("n", range(4))
def test_a_batch_committed_by_an_earlier_test_is_gone(
    db_isolation: TransactionIsolation, n: int
) -> None:
    def uow() -> SqlAllocationUnitOfWork:
        return SqlAllocationUnitOfWork(db_isolation.sessions)

    with uow() as check:
        assert check.views.batch("stock") is None
    handlers.create_batch(commands.CreateBatch("stock", "LAMP-1", 5 + n), uow())
    with uow() as check:
        batch = check.views.batch("stock")
    assert batch is not None
    assert batch.available_quantity == 5 + n
