"""The SQL adapters against in-memory SQLite: round trips, keys, locks, query counts."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, event, func, select

from shop.payments.adapters.tables import PaymentIdempotencyRow
from shop.payments.adapters.unit_of_work import SqlPaymentsUnitOfWork
from shop.payments.domain.money import Money
from shop.payments.domain.payment import Refund
from shop.payments.service_layer import handlers
from shop.payments.service_layer.commands import CreatePayment, RefundPayment
from shop.payments.service_layer.environment import PaymentsEnvironment
from shop.payments.service_layer.idempotency import IdempotencyClaim
from shop.payments.service_layer.unit_of_work import PaymentChanged, PaymentQuery
from shop.platform.database import SessionFactory, make_session_factory
from shop.platform.records import OutboxRecord


@pytest.fixture
def sessions(engine: Engine) -> SessionFactory:
    return make_session_factory(engine)


def uow(sessions: SessionFactory) -> SqlPaymentsUnitOfWork:
    return SqlPaymentsUnitOfWork(sessions)


def create(sessions: SessionFactory, env: PaymentsEnvironment, **kw: object) -> str:
    cmd = CreatePayment("cus_1", "ord_1", 1000, "EUR", "tok_visa", True, **kw)  # type: ignore[arg-type]
    return str(handlers.create_payment(cmd, uow(sessions), env).snapshot["id"])


def test_a_payment_round_trips_with_refunds_and_outbox_rows(
    sessions: SessionFactory, env: PaymentsEnvironment
) -> None:
    payment_id = create(sessions, env)
    handlers.refund_payment(RefundPayment(payment_id, 300, "damaged"), uow(sessions), env)
    payment = handlers.get_payment(payment_id, "cus_1", uow(sessions), env)
    assert payment.refunded.amount == 300
    assert payment.status.value == "partially_refunded"
    assert payment.created_at.tzinfo is not None
    with sessions() as session:
        topics = session.scalars(select(OutboxRecord.topic)).all()
    assert topics == ["payments"] * 3


def test_a_failed_refund_writes_nothing(sessions: SessionFactory, env: PaymentsEnvironment) -> None:
    payment_id = create(sessions, env)
    with pytest.raises(Exception, match="refunded"):
        handlers.refund_payment(RefundPayment(payment_id, 1001), uow(sessions), env)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(OutboxRecord)) == 2


def test_the_idempotency_key_is_unique_per_scope(
    sessions: SessionFactory, env: PaymentsEnvironment
) -> None:
    claim = IdempotencyClaim("cus_1", "k1", "digest")
    first = create(sessions, env, idempotency=claim)
    assert create(sessions, env, idempotency=claim) == first
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(PaymentIdempotencyRow)) == 1


def test_a_concurrent_update_loses_on_the_version(
    sessions: SessionFactory, env: PaymentsEnvironment
) -> None:
    payment_id = create(sessions, env)
    slow = uow(sessions).__enter__()
    stale = slow.payments.get(payment_id)
    assert stale is not None
    handlers.refund_payment(RefundPayment(payment_id, 600), uow(sessions), env)
    stale.refund(Refund("ref_x", Money(600, "EUR"), "", env.clock()))
    with pytest.raises(PaymentChanged):
        slow.commit()
    slow.__exit__(None, None, None)
    assert handlers.get_payment(payment_id, None, uow(sessions), env).refunded.amount == 600


def test_listing_issues_a_constant_number_of_queries(
    engine: Engine, sessions: SessionFactory, env: PaymentsEnvironment
) -> None:
    for _ in range(6):
        payment_id = create(sessions, env)
        handlers.refund_payment(RefundPayment(payment_id, 1), uow(sessions), env)
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    for limit in (1, 5):
        statements.clear()
        page = handlers.list_payments(PaymentQuery(limit=limit, customer="cus_1"), uow(sessions))
        assert len(page) == limit
        assert all(p.refunded.amount == 1 for p in page)
        assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 2
