"""Domain events of the payments service (what happened, in the past tense)."""

from __future__ import annotations

from dataclasses import dataclass

from shop.platform.events import Event


@dataclass(frozen=True, kw_only=True)
class PaymentAuthorized(Event):
    payment_id: str
    order_id: str | None
    amount_minor: int
    currency: str


@dataclass(frozen=True, kw_only=True)
class PaymentDeclined(Event):
    payment_id: str
    order_id: str | None
    reason: str


@dataclass(frozen=True, kw_only=True)
class PaymentCaptured(Event):
    payment_id: str
    order_id: str | None
    amount_minor: int
    currency: str


@dataclass(frozen=True, kw_only=True)
class PaymentRefunded(Event):
    payment_id: str
    refund_id: str
    order_id: str | None
    amount_minor: int
    currency: str


PaymentEvent = PaymentAuthorized | PaymentDeclined | PaymentCaptured | PaymentRefunded
"""Every event a payment records."""
