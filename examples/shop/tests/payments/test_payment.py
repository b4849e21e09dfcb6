from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shop.payments.domain.events import PaymentCaptured, PaymentRefunded
from shop.payments.domain.money import Money
from shop.payments.domain.payment import Payment, PaymentRuleViolated, PaymentStatus, Refund

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def captured(amount: int = 1000) -> Payment:
    payment = Payment.authorize(
        "pay_1", "cus_1", Money(amount, "EUR"), order_id="ord_1", method="tok_visa", now=NOW
    )
    payment.capture(None, NOW)
    return payment


def refund(amount: int, refund_id: str = "ref_1") -> Refund:
    return Refund(refund_id, Money(amount, "EUR"), "", NOW)


def test_capture_takes_the_authorized_amount_once() -> None:
    payment = captured(1000)
    assert payment.status is PaymentStatus.CAPTURED
    assert payment.captured == Money(1000, "EUR")
    assert isinstance(payment.events[-1], PaymentCaptured)
    with pytest.raises(PaymentRuleViolated):
        payment.capture(None, NOW)


def test_partial_capture_is_bounded_by_the_authorization() -> None:
    payment = Payment.authorize(
        "pay_1", "cus_1", Money(1000, "EUR"), order_id=None, method="tok_visa", now=NOW
    )
    with pytest.raises(PaymentRuleViolated, match="between 1 and 1000"):
        payment.capture(Money(1001, "EUR"), NOW)
    payment.capture(Money(600, "EUR"), NOW)
    assert payment.captured.amount == 600


def test_partial_refunds_add_up_to_the_capture_and_never_beyond() -> None:
    payment = captured(1000)
    payment.refund(refund(400, "ref_1"))
    assert payment.status.value == "partially_refunded"
    with pytest.raises(PaymentRuleViolated) as excinfo:
        payment.refund(refund(601, "ref_2"))
    assert excinfo.value.slug == "refund-exceeds-captured"
    payment.refund(refund(600, "ref_3"))
    assert payment.status is PaymentStatus.REFUNDED
    assert payment.refunded == Money(1000, "EUR")
    assert payment.refundable == Money(0, "EUR")
    assert isinstance(payment.events[-1], PaymentRefunded)


def test_nothing_is_refunded_before_capture_and_empty_refunds_are_refused() -> None:
    payment = Payment.authorize(
        "pay_1", "cus_1", Money(1000, "EUR"), order_id=None, method="tok_visa", now=NOW
    )
    with pytest.raises(PaymentRuleViolated):
        payment.refund(refund(1))
    payment.capture(None, NOW)
    with pytest.raises(PaymentRuleViolated):
        payment.refund(refund(0))


def test_each_change_bumps_the_version() -> None:
    payment = captured(1000)
    before = payment.version
    payment.refund(refund(1))
    assert payment.version == before + 1
