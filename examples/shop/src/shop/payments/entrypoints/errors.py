"""Domain and service errors of payments as RFC 9457 problems (never internals)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from shop.payments.domain.money import CurrencyMismatch, InvalidMoney
from shop.payments.domain.payment import PaymentRuleViolated
from shop.payments.service_layer.defects import ERROR_DETAILS_EXPOSED
from shop.payments.service_layer.environment import DefectSwitch
from shop.payments.service_layer.gateway import GatewayUnavailable
from shop.payments.service_layer.handlers import PaymentNotFound
from shop.payments.service_layer.idempotency import DuplicateRequest, IdempotencyMismatch
from shop.payments.service_layer.unit_of_work import PaymentChanged
from shop.platform.problems import (
    Conflict,
    NotFound,
    Problem,
    ServiceUnavailable,
    Unprocessable,
)

logger = logging.getLogger("shop.payments")

IDEMPOTENCY_POINTER = "/header/Idempotency-Key"
PROCESSOR_RETRY_AFTER = "5"


def declined(snapshot: dict[str, Any]) -> Problem:
    """The 402 answer of a declined payment (stored and replayed like a success)."""
    reason = snapshot.get("decline_reason") or "declined"
    return Problem(
        f"The payment was declined by the card processor ({reason}).",
        status=402,
        slug="payment-declined",
        title="Payment declined",
        payment_id=snapshot["id"],
        decline_reason=reason,
    )


def _processor_down(exc: GatewayUnavailable, defects: DefectSwitch) -> Problem:
    logger.error("payment processor unavailable: %s", exc)
    detail = "The payment processor is unavailable; retry later with the same Idempotency-Key."
    if defects.on(ERROR_DETAILS_EXPOSED):
        # DEFECT payments-error-details-exposed: the processor's internal error is echoed.
        detail = f"Processor error: {exc}"
    return ServiceUnavailable(detail, headers={"Retry-After": PROCESSOR_RETRY_AFTER})


@contextmanager
def payment_problems(defects: DefectSwitch) -> Iterator[None]:
    """Translate the payments service's exceptions raised in the block into problems."""
    try:
        yield
    except PaymentNotFound as exc:
        raise NotFound("payment", exc.payment_id) from exc
    except PaymentRuleViolated as exc:
        raise Conflict(exc.detail, slug=exc.slug) from exc
    except IdempotencyMismatch as exc:
        error = {"location": "header", "pointer": IDEMPOTENCY_POINTER, "detail": str(exc)}
        raise Unprocessable(str(exc), errors=[error]) from exc
    except (InvalidMoney, CurrencyMismatch) as exc:
        raise Unprocessable(str(exc), errors=[]) from exc
    except (PaymentChanged, DuplicateRequest) as exc:
        raise Conflict(
            "The payment was changed by a concurrent request; retry.", slug="concurrent-update"
        ) from exc
    except GatewayUnavailable as exc:
        raise _processor_down(exc, defects) from exc
