"""``/internal/payments``: charge and refund for other services (``X-API-Key``).

These are the HTTP form of ``PaymentsFacade`` for services in other processes; both
require ``Idempotency-Key`` so the caller's client may retry them safely.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter

from shop.identity import AUTH_RESPONSES, Principal, require_service
from shop.payments.entrypoints.errors import payment_problems
from shop.payments.entrypoints.runtime import IdempotencyKey, PaymentId, PaymentsRuntime
from shop.payments.entrypoints.schemas import (
    ChargeRequest,
    ChargeResponse,
    ServiceRefundRequest,
    ServiceRefundResponse,
)
from shop.payments.service_layer.facade import PaymentDeclined, PaymentsFacade
from shop.platform.problems import Problem, problem_responses

Service = Annotated[Principal, require_service("payments:write")]
CHARGED: dict[str, Any] = {"description": "Authorized and captured."}


def _declined(exc: PaymentDeclined) -> Problem:
    return Problem(
        f"The payment was declined by the card processor ({exc.reason}).",
        status=402,
        slug="payment-declined",
        title="Payment declined",
        payment_id=exc.payment_id,
        decline_reason=exc.reason,
    )


def _facade(rt: PaymentsRuntime, principal: Principal) -> PaymentsFacade:
    return PaymentsFacade(rt.uow, rt.env, caller=principal.subject)


def _charge(router: APIRouter, rt: PaymentsRuntime) -> None:
    @router.post(
        "/payments/charges",
        operation_id="charge_order_internal",
        summary="Charge an order (service-to-service)",
        status_code=201,
        response_model=ChargeResponse,
        responses={201: CHARGED, **problem_responses(402, 409, 422, 503)},
    )
    def charge(body: ChargeRequest, key: IdempotencyKey, principal: Service) -> ChargeResponse:
        with payment_problems(rt.env.defects):
            try:
                payment_id = _facade(rt, principal).charge(
                    body.order_id,
                    body.customer,
                    body.amount_minor,
                    body.currency.value,
                    key,
                    method=body.method,
                )
            except PaymentDeclined as exc:
                raise _declined(exc) from exc
        return ChargeResponse(payment_id=payment_id)


def _refund(router: APIRouter, rt: PaymentsRuntime) -> None:
    @router.post(
        "/payments/{payment_id}/refunds",
        operation_id="refund_order_payment_internal",
        summary="Refund an order's payment (service-to-service)",
        status_code=201,
        response_model=ServiceRefundResponse,
        responses=problem_responses(404, 409, 422),
    )
    def refund(
        payment_id: PaymentId,
        body: ServiceRefundRequest,
        key: IdempotencyKey,
        principal: Service,
    ) -> ServiceRefundResponse:
        with payment_problems(rt.env.defects):
            _facade(rt, principal).refund(payment_id, body.amount_minor, key)
        return ServiceRefundResponse(payment_id=payment_id)


def build_internal_router(rt: PaymentsRuntime) -> APIRouter:
    router = APIRouter(prefix="/internal", tags=["payments-internal"], responses=AUTH_RESPONSES)

    for add in (
        _charge,
        _refund,
    ):
        add(router, rt)
    return router
