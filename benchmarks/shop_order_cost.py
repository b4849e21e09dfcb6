"""Cost of placing an order in the one-process shop, as a ratio to one product read.

Issue 4's target: ``POST /v1/orders`` (reserve stock → allocate → charge, saga state
and outbox included) costs under 3x one plain ``GET /v1/products/{sku}``, same run.

Builds ``shop.bootstrap:create_app()`` in-process (scratch SQLite, in-memory bus) behind
assay's ``APITestClient`` (response validation off), signs in ``staff`` and ``ana`` from
``examples/shop/assay.toml``, seeds one product with plenty of stock and a batch (as
staff, through the API), then interleaves rounds of one order (ana, unique
``Idempotency-Key``, one line of one unit) and one product read. Prints the median of
each, the ratio and the SQL statements per request; ``--profile`` adds a cProfile of
the orders' work in the thread pool (where the shop's sync handlers run).

Run: .venv/bin/python benchmarks/shop_order_cost.py [--rounds N] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from assay.client import APITestClient
from assay.config import build_identities, load_config

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "examples" / "shop" / "assay.toml"
SKU = "BENCH-1"
TARGET = 3.0
RELAY_THREAD = "shop-outbox"


class StatementCounter:
    """Counts SQL statements sent by any engine (identity's and the services').

    ``count`` is the request's own statements; ``relayed`` those of the outbox relay's
    background thread, woken by the request's commits (off the request path, but it
    shares the GIL and SQLite's write lock with it).
    """

    def __init__(self) -> None:
        self.count = 0
        self.relayed = 0
        event.listen(Engine, "before_cursor_execute", self._on_statement)

    def _on_statement(self, *_args: Any) -> None:
        if threading.current_thread().name == RELAY_THREAD:
            self.relayed += 1
        else:
            self.count += 1

    def close(self) -> None:
        event.remove(Engine, "before_cursor_execute", self._on_statement)


def _expect(response: Any, status: int, what: str) -> Any:
    if response.status_code != status:
        raise SystemExit(f"{what}: expected {status}, got {response.status_code}: {response.text}")
    return response


def seed(api: APITestClient, rounds: int) -> None:
    staff = api.as_identity("staff")
    product = {"sku": SKU, "name": "Bench lamp", "price": 1299, "currency": "EUR"}
    _expect(staff.post("/v1/products", json=product), 201, "create product")
    units = rounds * 2 + 100
    _expect(staff.put(f"/v1/products/{SKU}/stock/main", json={"on_hand": units}), 204, "set stock")
    batch = {"reference": "bench-batch-1", "sku": SKU, "quantity": units}
    _expect(staff.post("/v1/batches", json=batch), 201, "create batch")


def place_order(api: APITestClient) -> None:
    response = api.post(
        "/v1/orders",
        json={"lines": [{"sku": SKU, "qty": 1}], "payment_method": "tok_visa"},
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )
    _expect(response, 201, "place order")


def read_product(api: APITestClient) -> None:
    _expect(api.get(f"/v1/products/{SKU}"), 200, "read product")


def timed(action: Any, api: APITestClient, counter: StatementCounter) -> tuple[float, int]:
    before = counter.count
    start = time.perf_counter()
    action(api)
    return time.perf_counter() - start, counter.count - before


class PooledProfiler:
    """A cProfile that follows the work FastAPI hands to its thread pool (sync handlers).

    cProfile only sees the thread that enables it; requests here run one at a time, so
    one profiler switched on around each pooled call, while ``active``, is enough.
    """

    def __init__(self) -> None:
        self.profile = cProfile.Profile()
        self.active = False
        import anyio.to_thread

        original = anyio.to_thread.run_sync

        async def run_sync(func: Any, *args: Any, **kwargs: Any) -> Any:
            if not self.active:
                return await original(func, *args, **kwargs)

            def profiled(*inner: Any) -> Any:
                self.profile.enable()
                try:
                    return func(*inner)
                finally:
                    self.profile.disable()

            return await original(profiled, *args, **kwargs)

        anyio.to_thread.run_sync = run_sync  # type: ignore[assignment]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200, help="orders (and reads) measured")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--profile", action="store_true", help="cProfile the orders")
    args = parser.parse_args(argv)

    from shop.bootstrap import create_app
    from shop.platform.settings import ShopSettings

    identities = build_identities(load_config(CONFIG))
    app = create_app(ShopSettings(password_cost=4, log_json=False, log_level="WARNING"))
    counter = StatementCounter()
    profiler = PooledProfiler() if args.profile else None
    orders: list[float] = []
    reads: list[float] = []
    order_statements: list[int] = []
    read_statements: list[int] = []
    try:
        with APITestClient(app, identities=identities, validate=False) as api:
            seed(api, args.rounds + args.warmup)
            ana = api.as_identity("ana")
            for _ in range(args.warmup):
                place_order(ana)
                read_product(ana)
            for _ in range(args.rounds):
                if profiler is not None:
                    profiler.active = True
                seconds, statements = timed(place_order, ana, counter)
                if profiler is not None:
                    profiler.active = False
                orders.append(seconds)
                order_statements.append(statements)
                seconds, statements = timed(read_product, ana, counter)
                reads.append(seconds)
                read_statements.append(statements)
    finally:
        counter.close()

    relayed = counter.relayed
    order_ms = statistics.median(orders) * 1000
    read_ms = statistics.median(reads) * 1000
    ratio = order_ms / read_ms
    print(f"rounds: {args.rounds} (after {args.warmup} warm-up rounds)")
    print(
        f"POST /v1/orders        median {order_ms:7.2f} ms   "
        f"SQL statements {statistics.median(order_statements):.0f}"
    )
    print(
        f"GET /v1/products/{{sku}} median {read_ms:7.2f} ms   "
        f"SQL statements {statistics.median(read_statements):.0f}"
    )
    print(f"outbox relay thread (background): {relayed} statements in the whole run")
    verdict = "meets" if ratio < TARGET else "misses"
    print(f"ratio order / read: {ratio:.2f}x ({verdict} the < {TARGET:g}x target)")
    if profiler is not None:
        out = io.StringIO()
        pstats.Stats(profiler.profile, stream=out).sort_stats("cumulative").print_stats(40)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
