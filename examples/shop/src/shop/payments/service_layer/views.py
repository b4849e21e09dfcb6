"""Version-neutral snapshots of payments: what responses are rendered from and replayed."""

from __future__ import annotations

from typing import Any

from shop.payments.domain.payment import Payment, Refund

PAYMENT = "payment"
REFUND = "refund"


def payment_snapshot(payment: Payment) -> dict[str, Any]:
    return {
        "id": payment.id,
        "customer": payment.customer,
        "order_id": payment.order_id,
        "amount_minor": payment.amount.amount,
        "currency": payment.currency,
        "status": payment.status.value,
        "captured_minor": payment.captured.amount,
        "refunded_minor": payment.refunded.amount,
        "method": payment.method,
        "decline_reason": payment.decline_reason,
        "refunds": [refund_snapshot(payment, refund) for refund in payment.refunds],
        "created_at": payment.created_at.isoformat(),
        "updated_at": payment.updated_at.isoformat(),
        "version": payment.version,
    }


def refund_snapshot(payment: Payment, refund: Refund) -> dict[str, Any]:
    return {
        "id": refund.id,
        "payment_id": payment.id,
        "amount_minor": refund.amount.amount,
        "currency": refund.amount.currency,
        "reason": refund.reason,
        "created_at": refund.created_at.isoformat(),
    }
