"""The seeded defects of the orders service (off unless named in ``SHOP_DEFECTS``)."""

from __future__ import annotations

FOREIGN_ORDER_READABLE = "orders-foreign-order-readable"
NO_COMPENSATION_ON_PAYMENT_FAILURE = "orders-no-compensation-on-payment-failure"
PAYMENT_RETRY_STORM = "orders-payment-retry-storm"
DOWNSTREAM_NO_TIMEOUT = "orders-downstream-no-timeout"

PAYMENT_RETRY_STORM_ATTEMPTS = 10

ORDERS_DEFECTS: dict[str, str] = {
    FOREIGN_ORDER_READABLE: "Access control (BOLA): GET /orders/{id} returns another "
    "customer's order instead of 404.",
    NO_COMPENSATION_ON_PAYMENT_FAILURE: "Saga: when the payment is declined the order is "
    "marked failed without releasing its stock reservation or deallocating its lines.",
    PAYMENT_RETRY_STORM: "Resilience: an unavailable payments service is retried at once, "
    f"{PAYMENT_RETRY_STORM_ATTEMPTS} times, each with a fresh Idempotency-Key (a retry "
    "storm on a non-idempotent POST that can charge twice).",
    DOWNSTREAM_NO_TIMEOUT: "Resilience: HTTP calls to inventory, allocation and payments "
    "are sent without a practical timeout, so a hung peer hangs order placement.",
}
"""Name → description of each seeded defect, registered with the platform."""
