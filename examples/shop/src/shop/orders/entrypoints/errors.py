"""Errors of the orders service as RFC 9457 problems (never internals)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from shop.orders.domain.order import OrderRuleViolated
from shop.orders.service_layer.handlers import InvalidOrder
from shop.orders.service_layer.idempotency import DuplicateRequest, IdempotencyMismatch
from shop.orders.service_layer.saga import OrderNotFound
from shop.orders.service_layer.unit_of_work import OrderChanged
from shop.platform.problems import Conflict, NotFound, Problem, Unprocessable

IDEMPOTENCY_POINTER = "/header/Idempotency-Key"


def placement_failed(status: int, snapshot: dict[str, Any]) -> Problem:
    """The answer to a placement whose saga failed (stored and replayed)."""
    reason = snapshot.get("failure") or "failed"
    return Problem(
        f"Order {snapshot['id']} could not be placed ({reason}); every step taken was undone.",
        status=status,
        slug="order-failed",
        title="Order failed",
        order_id=snapshot["id"],
        reason=reason,
    )


@contextmanager
def order_problems() -> Iterator[None]:
    """Translate the orders service's exceptions raised in the block into problems."""
    try:
        yield
    except OrderNotFound as exc:
        raise NotFound("order", exc.order_id) from exc
    except OrderRuleViolated as exc:
        raise Conflict(exc.detail, slug=exc.slug) from exc
    except IdempotencyMismatch as exc:
        error = {"location": "header", "pointer": IDEMPOTENCY_POINTER, "detail": str(exc)}
        raise Unprocessable(str(exc), errors=[error]) from exc
    except InvalidOrder as exc:
        errors = [
            {"location": "body", "pointer": pointer, "detail": detail}
            for pointer, detail in exc.errors
        ]
        raise Unprocessable(exc.detail, errors=errors) from exc
    except (OrderChanged, DuplicateRequest) as exc:
        raise Conflict(
            "The order was changed by a concurrent request; retry.", slug="concurrent-update"
        ) from exc
