"""Commands the orders service accepts."""

from __future__ import annotations

from dataclasses import dataclass

from shop.orders.service_layer.idempotency import IdempotencyClaim


@dataclass(frozen=True)
class PlaceOrder:
    """Place an order for ``lines`` of (SKU, quantity), each SKU at most once."""

    customer: str
    lines: tuple[tuple[str, int], ...]
    payment_method: str = "tok_visa"
    idempotency: IdempotencyClaim | None = None


@dataclass(frozen=True)
class CancelOrder:
    order_id: str
    viewer: str | None
