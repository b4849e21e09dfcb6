"""Commands the payments service accepts (what a caller asks for)."""

from __future__ import annotations

from dataclasses import dataclass

from shop.payments.service_layer.idempotency import IdempotencyClaim


@dataclass(frozen=True)
class CreatePayment:
    """Authorize ``amount_minor`` on ``method``; with ``capture`` also capture it."""

    customer: str
    order_id: str | None
    amount_minor: int
    currency: str
    method: str
    capture: bool = False
    idempotency: IdempotencyClaim | None = None


@dataclass(frozen=True)
class CapturePayment:
    """Capture ``amount_minor`` (default: all); ``currency``, when given, must match."""

    payment_id: str
    amount_minor: int | None = None
    idempotency: IdempotencyClaim | None = None
    currency: str | None = None


@dataclass(frozen=True)
class RefundPayment:
    """Refund ``amount_minor``; ``currency``, when given, must be the payment's."""

    payment_id: str
    amount_minor: int
    reason: str = ""
    idempotency: IdempotencyClaim | None = None
    currency: str | None = None
