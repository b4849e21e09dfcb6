from __future__ import annotations

import pytest

from shop.payments.domain.events import PaymentAuthorized, PaymentCaptured, PaymentDeclined
from shop.payments.domain.payment import PaymentRuleViolated
from shop.payments.service_layer import handlers
from shop.payments.service_layer.commands import CapturePayment, CreatePayment, RefundPayment
from shop.payments.service_layer.defects import (
    FOREIGN_PAYMENT_READABLE,
    IDEMPOTENCY_IGNORED,
    REFUND_OVER_CAPTURE,
)
from shop.payments.service_layer.environment import PaymentsEnvironment
from shop.payments.service_layer.gateway import GatewayUnavailable
from shop.payments.service_layer.idempotency import (
    IdempotencyClaim,
    IdempotencyMismatch,
    IdempotencyRecord,
    StoredOutcome,
)

from .conftest import Switches
from .fakes import FakeUnitOfWork, Store


def create(
    uow: FakeUnitOfWork,
    env: PaymentsEnvironment,
    *,
    amount: int = 1299,
    method: str = "tok_visa",
    claim: IdempotencyClaim | None = None,
    capture: bool = True,
) -> StoredOutcome:
    cmd = CreatePayment("cus_1", "ord_1", amount, "EUR", method, capture, claim)
    return handlers.create_payment(cmd, uow, env)


def claim(key: str = "k1", digest: str = "body-1") -> IdempotencyClaim:
    return IdempotencyClaim("cus_1", key, digest)


def test_create_and_capture_commits_the_payment_and_its_events(
    uow: FakeUnitOfWork, env: PaymentsEnvironment, store: Store
) -> None:
    outcome = create(uow, env)
    assert outcome.status == 201
    assert outcome.snapshot["status"] == "captured"
    assert outcome.snapshot["captured_minor"] == 1299
    assert [type(event) for _, event in store.outbox] == [PaymentAuthorized, PaymentCaptured]
    assert {topic for topic, _ in store.outbox} == {"payments"}


def test_a_declined_payment_is_recorded_and_answered_402(
    uow: FakeUnitOfWork, env: PaymentsEnvironment, store: Store
) -> None:
    outcome = create(uow, env, method="tok_declined")
    assert outcome.status == 402
    assert store.payments[outcome.snapshot["id"]].decline_reason == "card_declined"
    assert isinstance(store.outbox[-1][1], PaymentDeclined)


def test_a_processor_outage_stores_nothing(
    uow: FakeUnitOfWork, env: PaymentsEnvironment, store: Store
) -> None:
    with pytest.raises(GatewayUnavailable):
        create(uow, env, method="tok_processor_error")
    assert store.payments == {}
    assert store.outbox == []


def test_same_key_and_body_replays_the_stored_outcome_without_charging_again(
    uow: FakeUnitOfWork, env: PaymentsEnvironment, store: Store
) -> None:
    first = create(uow, env, claim=claim())
    second = create(uow, env, claim=claim())
    assert second == first
    assert len(store.payments) == 1
    assert uow.commits == 1


def test_a_replayed_decline_keeps_its_status(uow: FakeUnitOfWork, env: PaymentsEnvironment) -> None:
    first = create(uow, env, method="tok_declined", claim=claim())
    assert create(uow, env, method="tok_declined", claim=claim()).status == first.status == 402


def test_same_key_with_a_different_body_is_refused(
    uow: FakeUnitOfWork, env: PaymentsEnvironment, store: Store
) -> None:
    create(uow, env, claim=claim(digest="body-1"))
    with pytest.raises(IdempotencyMismatch):
        create(uow, env, amount=1, claim=claim(digest="body-2"))
    assert len(store.payments) == 1


def test_keys_are_scoped_per_caller(uow: FakeUnitOfWork, env: PaymentsEnvironment) -> None:
    create(uow, env, claim=claim())
    other = IdempotencyClaim("cus_2", "k1", "body-1")
    assert create(uow, env, claim=other).status == 201


def test_a_concurrent_duplicate_that_committed_first_is_replayed(
    uow: FakeUnitOfWork, env: PaymentsEnvironment, store: Store
) -> None:
    winner = StoredOutcome(201, "payment", {"id": "pay_winner"})
    uow.race_once = IdempotencyRecord("cus_1", "k1", "body-1", winner)
    assert create(uow, env, claim=claim()) == winner
    assert store.payments == {}


def test_defect_idempotency_ignored_charges_twice(
    uow: FakeUnitOfWork, env: PaymentsEnvironment, store: Store, defects: Switches
) -> None:
    defects.names.add(IDEMPOTENCY_IGNORED)
    create(uow, env, claim=claim())
    create(uow, env, claim=claim())
    assert len(store.payments) == 2


def test_capture_of_an_authorized_payment(uow: FakeUnitOfWork, env: PaymentsEnvironment) -> None:
    payment_id = create(uow, env, capture=False).snapshot["id"]
    outcome = handlers.capture_payment(CapturePayment(payment_id, 1000), uow, env)
    assert outcome.status == 200
    assert outcome.snapshot["captured_minor"] == 1000


def test_refunds_never_exceed_the_capture(
    uow: FakeUnitOfWork, env: PaymentsEnvironment, store: Store
) -> None:
    payment_id = create(uow, env, amount=1000).snapshot["id"]
    outcome = handlers.refund_payment(RefundPayment(payment_id, 700), uow, env)
    assert outcome.status == 201
    assert outcome.snapshot["amount_minor"] == 700
    with pytest.raises(PaymentRuleViolated):
        handlers.refund_payment(RefundPayment(payment_id, 301), uow, env)
    assert store.payments[payment_id].refunded.amount == 700


def test_defect_refund_over_capture_lets_refunds_exceed_the_capture(
    uow: FakeUnitOfWork, env: PaymentsEnvironment, store: Store, defects: Switches
) -> None:
    defects.names.add(REFUND_OVER_CAPTURE)
    payment_id = create(uow, env, amount=1000).snapshot["id"]
    handlers.refund_payment(RefundPayment(payment_id, 5000), uow, env)
    assert store.payments[payment_id].refunded.amount == 5000


def test_a_refund_retried_with_its_key_refunds_once(
    uow: FakeUnitOfWork, env: PaymentsEnvironment, store: Store
) -> None:
    payment_id = create(uow, env, amount=1000).snapshot["id"]
    cmd = RefundPayment(payment_id, 400, "", claim("r1", "refund-400"))
    assert handlers.refund_payment(cmd, uow, env) == handlers.refund_payment(cmd, uow, env)
    assert store.payments[payment_id].refunded.amount == 400


def test_unknown_payment_is_not_found(uow: FakeUnitOfWork, env: PaymentsEnvironment) -> None:
    with pytest.raises(handlers.PaymentNotFound):
        handlers.refund_payment(RefundPayment("pay_missing", 1), uow, env)


def test_customers_see_only_their_own_payments(
    uow: FakeUnitOfWork, env: PaymentsEnvironment
) -> None:
    payment_id = create(uow, env).snapshot["id"]
    assert handlers.get_payment(payment_id, "cus_1", uow, env).id == payment_id
    assert handlers.get_payment(payment_id, None, uow, env).id == payment_id
    with pytest.raises(handlers.PaymentNotFound):
        handlers.get_payment(payment_id, "cus_2", uow, env)


def test_defect_foreign_payment_readable(
    uow: FakeUnitOfWork, env: PaymentsEnvironment, defects: Switches
) -> None:
    defects.names.add(FOREIGN_PAYMENT_READABLE)
    payment_id = create(uow, env).snapshot["id"]
    assert handlers.get_payment(payment_id, "cus_2", uow, env).id == payment_id
