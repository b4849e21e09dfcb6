"""The in-process face of payments for other services (``facades["payments"]``).

HTTP equivalents for separate processes (``X-API-Key`` with ``payments:write``):
``POST /internal/payments/charges`` (body ``{order_id, customer, amount_minor, currency,
method}``, header ``Idempotency-Key``; 201 ``{"payment_id": ...}``, 402 declined, 503
processor down) and ``POST /internal/payments/{payment_id}/refunds`` (body
``{amount_minor}``, header ``Idempotency-Key``; 201).
"""

from __future__ import annotations

from collections.abc import Callable

from shop.payments.adapters.gateway import APPROVED_METHOD
from shop.payments.service_layer.commands import CreatePayment, RefundPayment
from shop.payments.service_layer.environment import PaymentsEnvironment
from shop.payments.service_layer.handlers import (
    PAYMENT_DECLINED_STATUS,
    create_payment,
    refund_payment,
)
from shop.payments.service_layer.idempotency import IdempotencyClaim, fingerprint
from shop.payments.service_layer.unit_of_work import PaymentsUnitOfWork


class PaymentDeclined(Exception):
    """The processor declined the charge (HTTP 402); the payment is recorded as declined."""

    status_code = PAYMENT_DECLINED_STATUS

    def __init__(self, payment_id: str, reason: str) -> None:
        super().__init__(f"payment {payment_id} declined: {reason}")
        self.payment_id = payment_id
        self.reason = reason


class PaymentsFacade:
    """Charge and refund for callers in the same process; every call is idempotent."""

    def __init__(
        self,
        uow_factory: Callable[[], PaymentsUnitOfWork],
        env: PaymentsEnvironment,
        caller: str = "orders",
    ) -> None:
        self._uow_factory = uow_factory
        self._env = env
        self._scope = f"service:{caller}"

    def charge(
        self,
        order_id: str,
        customer: str,
        amount_minor: int,
        currency: str,
        idempotency_key: str,
        *,
        method: str = APPROVED_METHOD,
    ) -> str:
        """Authorize and capture; the payment id. Raises ``PaymentDeclined``."""
        digest = fingerprint("charge", order_id, customer, amount_minor, currency, method)
        cmd = CreatePayment(
            customer,
            order_id,
            amount_minor,
            currency,
            method,
            capture=True,
            idempotency=IdempotencyClaim(self._scope, idempotency_key, digest),
        )
        outcome = create_payment(cmd, self._uow_factory(), self._env)
        payment_id = str(outcome.snapshot["id"])
        if outcome.status == PAYMENT_DECLINED_STATUS:
            raise PaymentDeclined(payment_id, str(outcome.snapshot["decline_reason"]))
        return payment_id

    def refund(self, payment_id: str, amount_minor: int, idempotency_key: str) -> None:
        """Refund ``amount_minor`` of a captured payment; a retry refunds once."""
        digest = fingerprint("refund", payment_id, amount_minor)
        claim = IdempotencyClaim(self._scope, idempotency_key, digest)
        cmd = RefundPayment(payment_id, amount_minor, "order compensation", claim)
        refund_payment(cmd, self._uow_factory(), self._env)
