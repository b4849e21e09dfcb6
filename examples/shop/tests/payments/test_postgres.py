"""Concurrent duplicates on a real PostgreSQL: one key, one charge."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Engine, create_engine, func, select

from assay import PostgresDatabase
from shop.payments.adapters.gateway import SimulatedGateway
from shop.payments.adapters.tables import PaymentIdempotencyRow, PaymentRow
from shop.payments.adapters.unit_of_work import SqlPaymentsUnitOfWork
from shop.payments.domain.money import Money
from shop.payments.service_layer import handlers
from shop.payments.service_layer.commands import CreatePayment, RefundPayment
from shop.payments.service_layer.environment import PaymentsEnvironment
from shop.payments.service_layer.gateway import GatewayDecision
from shop.payments.service_layer.idempotency import IdempotencyClaim, StoredOutcome
from shop.payments.service_layer.unit_of_work import PaymentChanged
from shop.platform.database import make_session_factory

RACERS = 4


@pytest.fixture
def pg_engine(fresh_postgres_database: PostgresDatabase) -> Iterator[Engine]:
    """A database of the test's own, cloned from the shop's schema template by assay."""
    engine = create_engine(fresh_postgres_database.url, pool_size=RACERS + 2)
    yield engine
    engine.dispose()


class GatheringGateway(SimulatedGateway):
    """Holds every racer at the processor until all have passed the key check."""

    def __init__(self, racers: int) -> None:
        super().__init__()
        self.barrier = threading.Barrier(racers, timeout=20)

    def authorize(self, reference: str, amount: Money, method: str) -> GatewayDecision:
        self.barrier.wait()
        return super().authorize(reference, amount, method)


@pytest.mark.postgres
def test_concurrent_duplicates_charge_once(pg_engine: Engine) -> None:
    sessions = make_session_factory(pg_engine)
    env = PaymentsEnvironment(GatheringGateway(RACERS))
    claim = IdempotencyClaim("user:staff", "same-key", "same-body")
    cmd = CreatePayment("cus_1", "ord_1", 1299, "EUR", "tok_visa", True, claim)

    def attempt(_: int) -> StoredOutcome:
        return handlers.create_payment(cmd, SqlPaymentsUnitOfWork(sessions), env)

    with ThreadPoolExecutor(RACERS) as pool:
        outcomes = list(pool.map(attempt, range(RACERS)))
    assert all(outcome == outcomes[0] for outcome in outcomes)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(PaymentRow)) == 1
        assert session.scalar(select(func.count()).select_from(PaymentIdempotencyRow)) == 1


@pytest.mark.postgres
def test_concurrent_refunds_never_exceed_the_capture(pg_engine: Engine) -> None:
    sessions = make_session_factory(pg_engine)
    env = PaymentsEnvironment(SimulatedGateway())
    create = CreatePayment("cus_1", "ord_1", 1000, "EUR", "tok_visa", True)
    payment_id = handlers.create_payment(create, SqlPaymentsUnitOfWork(sessions), env).snapshot[
        "id"
    ]
    barrier = threading.Barrier(RACERS, timeout=20)

    def refund(_: int) -> bool:
        def gather(_payment: object) -> None:
            barrier.wait()  # every racer has read the payment before anyone writes

        cmd = RefundPayment(payment_id, 600)
        try:
            handlers.refund_payment(cmd, SqlPaymentsUnitOfWork(sessions), env, gather)
        except PaymentChanged:
            return False
        return True

    with ThreadPoolExecutor(RACERS) as pool:
        succeeded = list(pool.map(refund, range(RACERS)))
    assert succeeded.count(True) == 1
    payment = handlers.get_payment(payment_id, None, SqlPaymentsUnitOfWork(sessions), env)
    assert payment.refunded.amount == 600
