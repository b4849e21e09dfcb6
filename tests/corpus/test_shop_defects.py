"""The shop's seeded defects, found by assay's engine (issue 5's proof on the real system).

For every defect in ``DETECTED``: the one-process shop with that defect switched on
(``ShopSettings(defects=...)``, the same switch as ``SHOP_DEFECTS``), one engine run
restricted to the operations and phases that reach the defect, and the expected check
fires on the expected operation. The clean shop gives no finding on the same runs.

Defects the current check catalogue cannot reach are listed in ``NOT_YET_DETECTED`` with
the reason and the issue whose checks should find them; a test keeps both lists equal to
the shop's registered defects, so a new defect cannot be forgotten.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from assay.client.identities import Identity
from assay.config import build_identities, load_config
from assay.engine import RunSettings, run_engine
from shop.bootstrap import create_app, register_all_defects
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
        operations=(
            "POST /v1/products",
            "GET /v1/products/{sku}",
            "PUT /v1/products/{sku}/stock/{warehouse}",
            "POST /v1/batches",
            "GET /v1/batches/{reference}",
            "POST /v1/orders",
            "GET /v1/orders/{order_id}",
        ),
        phases=("stateful",),
    ),
    "payments-foreign-payment-readable": Probe(
        check="cross_user_access",
        operation="GET /v1/payments/{payment_id}",
        operations=(
            "POST /v1/products",
            "GET /v1/products/{sku}",
            "PUT /v1/products/{sku}/stock/{warehouse}",
            "POST /v1/batches",
            "GET /v1/batches/{reference}",
            "POST /v1/orders",
            "GET /v1/orders/{order_id}",
            "GET /v1/payments/{payment_id}",
        ),
        phases=("stateful",),
    ),
    "orders-no-compensation-on-payment-failure": Probe(
        check="refused_request_left_changes",
        operation="GET /v1/products/{sku}",
        operations=(
            "POST /v1/products",
            "GET /v1/products/{sku}",
            "PUT /v1/products/{sku}/stock/{warehouse}",
            "POST /v1/batches",
            "GET /v1/batches/{reference}",
            "POST /v1/orders",
            "GET /v1/orders/{order_id}",
        ),
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

NOT_YET_DETECTED: dict[str, str] = {
    "orders-downstream-no-timeout": (
        "resilience: only in the several-process mode with a hung peer; needs fault "
        "injection (resilience layer)"
    ),
    "orders-payment-retry-storm": (
        "resilience: only with payments in another, unavailable process; needs fault "
        "injection (resilience layer)"
    ),
}
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
    assert not set(DETECTED) & set(NOT_YET_DETECTED)
    assert set(DETECTED) | set(NOT_YET_DETECTED) == set(KNOWN_DEFECTS)


@pytest.mark.parametrize("defect", sorted(DETECTED))
def test_the_engine_finds_the_seeded_defect(defect: str) -> None:
    probe = DETECTED[defect]
    found = _run(_shop(defect, *probe.also), probe)
    assert (probe.check, probe.operation) in found, sorted(found)


@pytest.mark.parametrize("defect", sorted(DETECTED))
def test_the_clean_shop_gives_no_finding_on_the_same_run(defect: str) -> None:
    found = _run(_shop(), DETECTED[defect])
    assert found == set()
