"""Per-test cost of rollback isolation vs truncating every table, on PostgreSQL.

Issue 6's target: the per-test overhead of assay's transaction rollback isolation is at
most 0.2x that of the common alternative, truncating every table of the schema after
each test, same run, same database.

Clones a database with the shop's schema (``Base.metadata`` and identity's, the tables
``create_schema`` makes) from assay's template, then alternates rounds of one "test"
(the allocation service creating a batch and allocating an order line through its own
unit of work, which commits) under each strategy:

* rollback: ``rollback_isolation(engine)`` around the test (connect, BEGIN, the test's
  commits as SAVEPOINTs, ROLLBACK) — the overhead is the time spent entering and
  leaving it;
* truncate: the test commits for real, then ``TRUNCATE <every table> RESTART IDENTITY
  CASCADE`` — the overhead is the truncation;
* delete (for reference): ``DELETE FROM`` every table, children first, in one
  transaction — the cheaper cousin of truncation on small tables.

Prints the median test time and overhead of each and the ratios of the overheads.
Needs PostgreSQL at 127.0.0.1:5432 (``ASSAY_POSTGRES_URL`` for another).

Run: .venv/bin/python benchmarks/isolation_speed.py [--rounds N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from assay import DatabaseSchema, PostgresServer, rollback_isolation
from shop.allocation.adapters.repositories import SqlAllocationUnitOfWork
from shop.allocation.service_layer import commands, handlers
from shop.identity import identity_metadata
from shop.platform.database import Base, make_engine
from shop.platform.schema import import_table_modules

TARGET = 0.2


def one_test(sessions: sessionmaker[Session], n: int) -> None:
    """What a typical database test does: a few committed writes and reads."""

    def uow() -> SqlAllocationUnitOfWork:
        return SqlAllocationUnitOfWork(sessions)

    handlers.create_batch(commands.CreateBatch(f"batch-{n}", "LAMP-1", 10), uow())
    handlers.allocate(commands.Allocate(f"order-{n}", "LAMP-1", 2), uow())
    with uow() as check:
        assert check.views.batch(f"batch-{n}") is not None


def with_rollback(engine: Engine, n: int) -> tuple[float, float]:
    """(test time, isolation overhead) of one test under rollback isolation."""
    start = time.perf_counter()
    context = rollback_isolation(engine, expire_on_commit=False)
    isolation = context.__enter__()
    entered = time.perf_counter()
    one_test(isolation.sessions, n)
    done = time.perf_counter()
    context.__exit__(None, None, None)
    end = time.perf_counter()
    return done - entered, (entered - start) + (end - done)


def with_cleanup(engine: Engine, n: int, cleanup: list[str]) -> tuple[float, float]:
    """(test time, cleanup overhead) of one test that commits, then ``cleanup`` runs."""
    sessions = sessionmaker(engine, expire_on_commit=False)
    start = time.perf_counter()
    one_test(sessions, n)
    done = time.perf_counter()
    with engine.begin() as connection:
        for statement in cleanup:
            connection.execute(text(statement))
    return done - start, time.perf_counter() - done


def measure(rounds: int, engine: Engine, tables: list[str]) -> dict[str, list[float]]:
    names = ", ".join(f'"{name}"' for name in tables)
    truncate = [f"TRUNCATE {names} RESTART IDENTITY CASCADE"]
    delete = [f'DELETE FROM "{name}"' for name in reversed(tables)]
    timings: dict[str, list[float]] = {k: [] for k in ("rb", "rb_o", "tr", "tr_o", "de", "de_o")}
    runs: list[tuple[str, Callable[[int], tuple[float, float]]]] = [
        ("rb", lambda n: with_rollback(engine, n)),
        ("tr", lambda n: with_cleanup(engine, n, truncate)),
        ("de", lambda n: with_cleanup(engine, n, delete)),
    ]
    for n in range(rounds):
        for name, run in runs if n % 2 else reversed(runs):
            test, overhead = run(n)
            timings[name].append(test)
            timings[name + "_o"].append(overhead)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=100)
    args = parser.parse_args()
    import_table_modules()
    schema = DatabaseSchema.from_metadata(Base.metadata, identity_metadata, name="shop")
    server = PostgresServer()
    database = server.clone(schema, owner="bench")
    engine = make_engine(database.url)
    try:
        metadata = (Base.metadata, identity_metadata)
        tables = [table.name for each in metadata for table in each.sorted_tables]
        measure(5, engine, tables)  # warm-up: connections, statement caches
        timings = measure(args.rounds, engine, tables)
    finally:
        engine.dispose()
        database.drop()
        server.close()
    report(timings, len(tables), args.rounds)


def report(timings: dict[str, list[float]], tables: int, rounds: int) -> None:
    median = {name: statistics.median(values) * 1000 for name, values in timings.items()}
    print(f"shop schema on PostgreSQL: {tables} tables, {rounds} tests per strategy")
    print(f"rollback isolation: test {median['rb']:.2f} ms, overhead {median['rb_o']:.2f} ms")
    print(f"truncate all tables: test {median['tr']:.2f} ms, overhead {median['tr_o']:.2f} ms")
    print(f"delete from all tables: test {median['de']:.2f} ms, overhead {median['de_o']:.2f} ms")
    ratio = median["rb_o"] / median["tr_o"]
    verdict = "meets" if ratio <= TARGET else "misses"
    print(f"overhead ratio rollback/truncate: {ratio:.3f} ({verdict} the target <= {TARGET})")
    print(f"overhead ratio rollback/delete: {median['rb_o'] / median['de_o']:.3f}")


if __name__ == "__main__":
    main()
