"""The shop's seeded defects, found by assay's engine (issue 5's proof on the real system).

For every defect in ``DETECTED``: the one-process shop with that defect switched on
(``ShopSettings(defects=...)``, the same switch as ``SHOP_DEFECTS``), one engine run
restricted to the operations and phases that reach the defect, and the expected check
fires on the expected operation. The clean shop gives no finding on the same runs.

Defects only the several-process shop has (orders calling payments over HTTP) are in
``DETECTED_LIVE``: real ``shop serve`` processes per defect, started once per module, with
the resilience phase's fault proxy between orders and payments.

Defects the current check catalogue cannot reach are listed in ``NOT_YET_DETECTED`` with
the reason and the issue whose checks should find them; a test keeps the three lists equal to
the shop's registered defects, so a new defect cannot be forgotten.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from examples.shop.tests.e2e.conftest import ShopCluster, cluster_env

from assay import Environment
from assay.client.identities import Identity
from assay.config import DependencyConfig, ResilienceConfig, build_identities, load_config
from assay.data.environment import free_port
from assay.engine import RunSettings, run_engine
from shop.bootstrap import create_app, register_all_defects
from shop.identity.keys import SigningKey
from shop.platform.defects import KNOWN_DEFECTS
from shop.platform.settings import ShopSettings

CONFIG = Path(__file__).resolve().parents[2] / "examples" / "shop" / "assay.toml"
SEED = 1


@dataclass(frozen=True)
class Probe:
    """A restricted run that reaches one defect, and what it must report."""

    check: str
    operation: str
    operations: tuple[str, ...]
    phases: tuple[str, ...]
    also: tuple[str, ...] = ()
    """Other defects switched on with it (a leak needs something that fails first)."""


ORDER_FLOW = (
    "POST /v1/products",
    "GET /v1/products/{sku}",
    "PUT /v1/products/{sku}/stock/{warehouse}",
    "POST /v1/batches",
    "GET /v1/batches/{reference}",
    "POST /v1/orders",
    "GET /v1/orders/{order_id}",
)
"""What placing an order needs first: a product with stock and a batch to allocate from."""

DETECTED: dict[str, Probe] = {
    "allocation-missing-scope": Probe(
        check="authorization_not_enforced",
        operation="PATCH /v1/batches/{reference}",
        operations=("POST /v1/batches", "PATCH /v1/batches/{reference}"),
        phases=("auth",),
    ),
    "inventory-v2-float-money": Probe(
        check="response_schema_violation",
        operation="GET /v2/products/{sku}",
        operations=("POST /v2/products", "GET /v2/products/{sku}"),
        phases=("stateful",),
    ),
    "payments-idempotency-ignored": Probe(
        check="duplicate_request_broke_invariant",
        operation="POST /v1/payments",
        operations=("POST /v1/payments", "GET /v1/payments/{payment_id}"),
        phases=("stateful",),
    ),
    "payments-error-details-exposed": Probe(
        check="internal_address_exposed",
        operation="POST /v1/payments",
        operations=("POST /v1/payments",),
        phases=("examples",),
    ),
    "orders-foreign-order-readable": Probe(
        check="cross_user_access",
        operation="GET /v1/orders/{order_id}",
        operations=ORDER_FLOW,
        phases=("stateful",),
    ),
    "payments-foreign-payment-readable": Probe(
        check="cross_user_access",
        operation="GET /v1/payments/{payment_id}",
        operations=(*ORDER_FLOW, "GET /v1/payments/{payment_id}"),
        phases=("stateful",),
    ),
    "orders-no-compensation-on-payment-failure": Probe(
        check="refused_request_left_changes",
        operation="GET /v1/products/{sku}",
        operations=ORDER_FLOW,
        phases=("stateful",),
    ),
    "platform-cors-any-origin": Probe(
        check="cors_origin_reflected",
        operation="GET /v1/products",
        operations=("GET /v1/products",),
        phases=("security",),
    ),
    "platform-missing-security-headers": Probe(
        check="missing_content_type_options",
        operation="GET /v1/products",
        operations=("GET /v1/products",),
        phases=("security",),
    ),
    "inventory-negative-stock": Probe(
        check="server_error",
        operation="GET /v1/products/{sku}",
        operations=(
            "POST /v1/products",
            "GET /v1/products/{sku}",
            "POST /v1/stock/imports",
        ),
        phases=("stateful",),
    ),
    "platform-500-leaks-internals": Probe(
        check="stack_trace_leak",
        operation="GET /v1/products/{sku}",
        operations=(
            "POST /v1/products",
            "GET /v1/products/{sku}",
            "POST /v1/stock/imports",
        ),
        phases=("stateful",),
        also=("inventory-negative-stock",),
    ),
    "inventory-reservation-race": Probe(
        check="concurrent_claims_oversold",
        operation="POST /v1/reservations",
        operations=(
            "POST /v1/products",
            "GET /v1/products/{sku}",
            "PUT /v1/products/{sku}/stock/{warehouse}",
            "POST /v1/reservations",
            "GET /v1/reservations/{reservation_id}",
        ),
        phases=("stateful",),
    ),
    "payments-refund-over-capture": Probe(
        check="refund_exceeds_capture",
        operation="POST /v1/payments/{payment_id}/refunds",
        operations=(
            "POST /v1/payments",
            "GET /v1/payments/{payment_id}",
            "POST /v1/payments/{payment_id}/capture",
            "POST /v1/payments/{payment_id}/refunds",
        ),
        phases=("stateful",),
    ),
    "inventory-n-plus-one": Probe(
        check="n_plus_one_queries",
        operation="GET /v1/products",
        operations=(
            "GET /v1/products",
            "POST /v1/products",
            "GET /v1/products/{sku}",
            "PUT /v1/products/{sku}/stock/{warehouse}",
        ),
        phases=("queries",),
    ),
}
"""Defect → the run that finds it."""

NOT_YET_DETECTED: dict[str, str] = {}
"""Defect → why the current catalogue cannot find it, and which future check should."""


def _identities() -> tuple[Identity, ...]:
    return tuple(build_identities(load_config(CONFIG)))


def _shop(*defects: str) -> object:
    return create_app(ShopSettings(defects=defects, password_cost=4, log_json=False))


def _run(app: object, probe: Probe) -> set[tuple[str, str | None]]:
    settings = RunSettings(
        seed=SEED,
        max_examples=5,
        max_cases=30,
        phases=probe.phases,
        operations=probe.operations,
        identities=_identities(),
    )
    result = run_engine(app, settings=settings)
    assert not result.internal_errors
    return {(f.check, f.operation) for f in result.findings}


def test_every_registered_defect_is_listed() -> None:
    register_all_defects()
    listed = [set(DETECTED), set(DETECTED_LIVE), set(NOT_YET_DETECTED)]
    assert sum(map(len, listed)) == len(set().union(*listed))
    assert set().union(*listed) == set(KNOWN_DEFECTS)


@pytest.mark.parametrize("defect", sorted(DETECTED))
def test_the_engine_finds_the_seeded_defect(defect: str) -> None:
    probe = DETECTED[defect]
    found = _run(_shop(defect, *probe.also), probe)
    assert (probe.check, probe.operation) in found, sorted(found)


@pytest.mark.parametrize("defect", sorted(DETECTED))
def test_the_clean_shop_gives_no_finding_on_the_same_run(defect: str) -> None:
    found = _run(_shop(), DETECTED[defect])
    assert found == set()


@pytest.mark.parametrize("defects", [(), ("inventory-reservation-race",)])
def test_the_whole_stateful_phase_tests_the_race(defects: tuple[str, ...]) -> None:
    """Unrestricted, the run has orders that already hold reservations: the claims must
    still race on the stock, not be answered with an order's existing reservation."""
    settings = RunSettings(
        seed=SEED, max_examples=5, max_cases=30, phases=("stateful",), identities=_identities()
    )
    result = run_engine(_shop(*defects), settings=settings)
    found = {(f.check, f.operation) for f in result.findings}
    expected = {("concurrent_claims_oversold", "POST /v1/reservations")} if defects else set()
    assert found == expected


# -- live: the several-process shop, orders calling payments through a fault proxy -------


@dataclass(frozen=True)
class LiveProbe:
    """What the resilience phase must report on the live shop with one defect on."""

    checks: tuple[str, ...]
    operation: str = "POST /v1/orders"


DETECTED_LIVE: dict[str, LiveProbe] = {
    "orders-downstream-no-timeout": LiveProbe(("downstream_timeout_missing",)),
    "orders-payment-retry-storm": LiveProbe(("retry_storm", "retry_key_changed")),
}
"""Defect → the checks the live run finds it with (every run: `_live_run`)."""

LIVE_OPERATIONS = ORDER_FLOW
LIVE_BUDGET = 3.0
"""Seconds an order may take with payments hung (the processes' client timeout is 1 s)."""


@dataclass(frozen=True)
class LiveShop:
    front: str
    """inventory, orders and allocation; told that payments is at ``listen``."""
    listen: int
    payments: str


class LiveShops:
    """A front and a payments process per defect (none: the clean shop), started on first
    use with the shop e2e tests' `ShopCluster`; each pair has its own database files."""

    def __init__(self, workdir: Path, key_file: Path) -> None:
        self.workdir = workdir
        self.key_file = key_file
        self.started: dict[str, LiveShop] = {}
        self.environments: list[Environment] = []

    def shop(self, defect: str = "") -> LiveShop:
        if defect not in self.started:
            self.started[defect] = self._start(defect)
        return self.started[defect]

    def _start(self, defect: str) -> LiveShop:
        folder = self.workdir / (defect or "clean")
        folder.mkdir()
        environment = Environment(inherit=False, workdir=folder)
        self.environments.append(environment)
        environment.env.update(cluster_env(folder, self.key_file))
        cluster = ShopCluster(environment)
        listen = free_port()
        payments_db = f"sqlite:///{folder / 'payments.db'}"
        payments = cluster.add("payments", "payments", SHOP_DATABASE_URL=payments_db)
        routes = json.dumps({"payments": [f"http://127.0.0.1:{listen}"]})
        front = cluster.add(
            "front",
            "inventory,orders,allocation",
            SHOP_SERVICES=routes,
            SHOP_DEFECTS=defect,
            SHOP_CLIENT_TIMEOUT="1",
        )
        environment.start()
        return LiveShop(front, listen, payments)

    def close(self) -> None:
        for environment in self.environments:
            environment.close()


@pytest.fixture(scope="module")
def live_shops(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveShops]:
    workdir = tmp_path_factory.mktemp("live-shops")
    key_file = workdir / "signing-key.pem"
    key_file.write_text(SigningKey.generate().private_pem(), encoding="ascii")
    shops = LiveShops(workdir, key_file)
    yield shops
    shops.close()


def _live_run(shop: LiveShop) -> set[tuple[str, str | None]]:
    payments = DependencyConfig(
        name="payments", listen=f"127.0.0.1:{shop.listen}", upstream=shop.payments
    )
    resilience = ResilienceConfig(
        dependencies=[payments],
        budget=LIVE_BUDGET,
        faults=["unavailable", "hang"],
        max_operations=1,  # only POST /v1/orders calls payments
    )
    settings = RunSettings(
        seed=SEED,
        max_examples=5,
        max_cases=30,
        phases=("resilience",),
        operations=LIVE_OPERATIONS,
        identities=_identities(),
        resilience=resilience,
    )
    result = run_engine(shop.front, settings=settings)
    assert not result.internal_errors
    assert result.stopped is None
    return {(f.check, f.operation) for f in result.findings}


@pytest.mark.slow
@pytest.mark.parametrize("defect", sorted(DETECTED_LIVE))
def test_the_engine_finds_the_seeded_defect_live(live_shops: LiveShops, defect: str) -> None:
    probe = DETECTED_LIVE[defect]
    found = _live_run(live_shops.shop(defect))
    assert {(check, probe.operation) for check in probe.checks} <= found, sorted(found)


@pytest.mark.slow
def test_the_clean_shop_gives_no_finding_on_the_live_run(live_shops: LiveShops) -> None:
    assert _live_run(live_shops.shop()) == set()
