"""The payment aggregate: an authorized intent, its capture and its refunds."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from shop.payments.domain.events import (
    PaymentAuthorized,
    PaymentCaptured,
    PaymentDeclined,
    PaymentEvent,
    PaymentRefunded,
)
from shop.payments.domain.money import Money


class PaymentStatus(StrEnum):
    AUTHORIZED = "authorized"
    DECLINED = "declined"
    CAPTURED = "captured"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"


class PaymentRuleViolated(Exception):
    """A command the payment's state does not allow (answered as 409)."""

    def __init__(self, slug: str, detail: str) -> None:
        super().__init__(detail)
        self.slug = slug
        self.detail = detail


@dataclass(frozen=True)
class Refund:
    id: str
    amount: Money
    reason: str
    created_at: datetime


@dataclass
class Payment:
    """A payment of ``amount`` by ``customer``; money captured and refunded so far.

    Invariant: ``refunded <= captured <= amount``, all in ``amount.currency``.
    """

    id: str
    customer: str
    order_id: str | None
    amount: Money
    method: str
    status: PaymentStatus
    captured: Money
    created_at: datetime
    updated_at: datetime
    decline_reason: str | None = None
    refunds: list[Refund] = field(default_factory=list)
    version: int = 1
    events: list[PaymentEvent] = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def authorize(
        cls,
        payment_id: str,
        customer: str,
        amount: Money,
        *,
        order_id: str | None,
        method: str,
        now: datetime,
    ) -> Payment:
        """A new payment whose ``amount`` the gateway authorized."""
        payment = cls(
            id=payment_id,
            customer=customer,
            order_id=order_id,
            amount=amount,
            method=method,
            status=PaymentStatus.AUTHORIZED,
            captured=Money.zero(amount.currency),
            created_at=now,
            updated_at=now,
        )
        payment.events.append(
            PaymentAuthorized(
                payment_id=payment_id,
                order_id=order_id,
                amount_minor=amount.amount,
                currency=amount.currency,
                occurred_at=now,
            )
        )
        return payment

    @property
    def currency(self) -> str:
        return self.amount.currency

    @property
    def refunded(self) -> Money:
        total = Money.zero(self.currency)
        for refund in self.refunds:
            total = total + refund.amount
        return total

    @property
    def refundable(self) -> Money:
        """What can still be refunded (never negative)."""
        return Money(max(self.captured.amount - self.refunded.amount, 0), self.currency)

    def decline(self, reason: str, now: datetime) -> None:
        self._require(PaymentStatus.AUTHORIZED, action="decline")
        self.status = PaymentStatus.DECLINED
        self.decline_reason = reason
        self._touch(now)
        self.events.append(
            PaymentDeclined(
                payment_id=self.id, order_id=self.order_id, reason=reason, occurred_at=now
            )
        )

    def capture(self, amount: Money | None, now: datetime) -> None:
        """Capture ``amount`` (default: everything authorized), once."""
        self._require(PaymentStatus.AUTHORIZED, action="capture")
        to_capture = self.amount if amount is None else amount
        if to_capture.amount == 0 or not to_capture <= self.amount:
            raise PaymentRuleViolated(
                "capture-exceeds-authorized",
                f"Capture must be between 1 and {self.amount.amount} minor units.",
            )
        self.captured = to_capture
        self.status = PaymentStatus.CAPTURED
        self._touch(now)
        self.events.append(
            PaymentCaptured(
                payment_id=self.id,
                order_id=self.order_id,
                amount_minor=to_capture.amount,
                currency=self.currency,
                occurred_at=now,
            )
        )

    def refund(self, refund: Refund, *, enforce_limit: bool = True) -> None:
        """Refund part or all of what was captured; the total never exceeds it."""
        if self.status not in (PaymentStatus.CAPTURED, PaymentStatus.PARTIALLY_REFUNDED):
            raise PaymentRuleViolated(
                "payment-not-captured", f"Payment {self.id} has nothing captured to refund."
            )
        if refund.amount.amount == 0:
            raise PaymentRuleViolated("refund-empty", "A refund must be at least 1 minor unit.")
        if enforce_limit and not refund.amount <= self.refundable:
            raise PaymentRuleViolated(
                "refund-exceeds-captured",
                f"At most {self.refundable.amount} minor units can still be refunded.",
            )
        self.refunds.append(refund)
        fully = self.refunded.amount >= self.captured.amount
        self.status = PaymentStatus.REFUNDED if fully else PaymentStatus.PARTIALLY_REFUNDED
        self._touch(refund.created_at)
        self.events.append(
            PaymentRefunded(
                payment_id=self.id,
                refund_id=refund.id,
                order_id=self.order_id,
                amount_minor=refund.amount.amount,
                currency=self.currency,
                occurred_at=refund.created_at,
            )
        )

    def _require(self, status: PaymentStatus, *, action: str) -> None:
        if self.status is not status:
            raise PaymentRuleViolated(
                "payment-state", f"Cannot {action} payment {self.id}: it is {self.status.value}."
            )

    def _touch(self, now: datetime) -> None:
        self.updated_at = now
        self.version += 1
