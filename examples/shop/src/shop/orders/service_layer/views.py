"""Version-neutral snapshots of orders: what responses are rendered from and replayed."""

from __future__ import annotations

from typing import Any

from shop.orders.domain.order import Order, OrderStatus

FAILURE_STATUS: dict[str, int] = {"payment-declined": 402}
"""HTTP status of a failed placement by failure reason (default 409)."""


def order_snapshot(order: Order) -> dict[str, Any]:
    return {
        "id": order.id,
        "customer": order.customer,
        "status": order.status.value,
        "currency": order.currency,
        "total_minor": order.total_minor,
        "lines": [
            {
                "sku": line.sku,
                "qty": line.qty,
                "unit_price_minor": line.unit_price_minor,
                "total_minor": line.total_minor,
            }
            for line in order.lines
        ],
        "failure": order.failure,
        "payment_id": next(
            (s.reference for s in order.steps if s.ref.kind.value == "charge"), None
        ),
        "steps": [
            {
                "step": s.ref.kind.value,
                "target": s.ref.target or None,
                "state": s.state.value,
                "detail": s.detail or None,
                "at": s.at.isoformat(),
            }
            for s in order.steps
        ],
        "created_at": order.created_at.isoformat(),
        "updated_at": order.updated_at.isoformat(),
        "version": order.version,
    }


def placement_status(order: Order) -> int:
    """201 confirmed; 202 still running (resumed later); a 4xx when it failed."""
    if order.status is OrderStatus.CONFIRMED:
        return 201
    if order.status is OrderStatus.FAILED:
        return FAILURE_STATUS.get(order.failure or "", 409)
    return 202


def is_final(order: Order) -> bool:
    return order.status in (OrderStatus.CONFIRMED, OrderStatus.FAILED, OrderStatus.CANCELLED)
