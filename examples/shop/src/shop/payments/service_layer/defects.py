"""The seeded defects of the payments service (off unless named in ``SHOP_DEFECTS``)."""

from __future__ import annotations

REFUND_OVER_CAPTURE = "payments-refund-over-capture"
IDEMPOTENCY_IGNORED = "payments-idempotency-ignored"
ERROR_DETAILS_EXPOSED = "payments-error-details-exposed"
FOREIGN_PAYMENT_READABLE = "payments-foreign-payment-readable"

PAYMENTS_DEFECTS: dict[str, str] = {
    REFUND_OVER_CAPTURE: "Business logic: refunds are not checked against the captured "
    "amount, so the total refunded can exceed what was charged.",
    IDEMPOTENCY_IGNORED: "Idempotency: the Idempotency-Key header is ignored, so a retried "
    "POST /payments authorizes and charges a second time.",
    ERROR_DETAILS_EXPOSED: "Exposure: a payment processor failure answers 503 with the "
    "processor's internal error message (internal host name and URL) in the body.",
    FOREIGN_PAYMENT_READABLE: "Access control (BOLA): GET /payments/{id} returns another "
    "customer's payment instead of 404.",
}
"""Name → description of each seeded defect, registered with the platform."""
