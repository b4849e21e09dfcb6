"""``/v2/payments``: money as ``{"amount": 1299, "currency": "EUR"}`` objects."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query, Request, Response

from shop.identity import AUTH_RESPONSES
from shop.payments.domain.payment import PaymentStatus
from shop.payments.entrypoints import operations
from shop.payments.entrypoints.runtime import (
    CAPTURED,
    CREATED,
    DECLINED,
    READ,
    IdempotencyKey,
    IfMatch,
    PaymentId,
    PaymentSort,
    PaymentsRuntime,
    Reader,
    Writer,
    claim_of,
    payment_links,
    viewer_of,
)
from shop.payments.entrypoints.schemas import (
    PAYMENT_EXAMPLES_V2,
    CaptureV2,
    PaymentCreateV2,
    PaymentV2,
    RefundCreateV2,
    RefundV2,
    payment_v2,
    refund_v2,
)
from shop.payments.service_layer.commands import CapturePayment, CreatePayment, RefundPayment
from shop.payments.service_layer.unit_of_work import PaymentQuery
from shop.platform.pagination import Cursor, Limit, Page
from shop.platform.problems import problem_responses


def _create_payment(router: APIRouter, rt: PaymentsRuntime) -> None:
    @router.post(
        "/payments",
        operation_id="create_payment_v2",
        summary="Authorize a payment (optionally capture it)",
        status_code=201,
        response_model=PaymentV2,
        responses={
            201: {**CREATED, "links": payment_links("v2")},
            **DECLINED,
            **problem_responses(409, 422, 503),
        },
    )
    def create_payment(
        *,
        body: Annotated[PaymentCreateV2, Body(openapi_examples=PAYMENT_EXAMPLES_V2)],
        key: IdempotencyKey,
        principal: Writer,
        request: Request,
        response: Response,
    ) -> PaymentV2:
        cmd = CreatePayment(
            body.customer,
            body.order_id,
            body.amount.amount,
            body.amount.currency.value,
            body.payment_method,
            body.capture,
            claim_of(principal, key, request, body),
        )
        return operations.create(rt, cmd, response, "/v2", payment_v2)


def _list_payments(router: APIRouter, rt: PaymentsRuntime) -> None:
    @router.get(
        "/payments",
        operation_id="list_payments_v2",
        summary="List payments (customers: their own)",
        response_model=Page[PaymentV2],
        responses=problem_responses(400, 422),
    )
    def list_payments(
        *,
        principal: Reader,
        limit: Limit,
        cursor: Cursor,
        sort: PaymentSort,
        status: Annotated[PaymentStatus | None, Query(description="Only this status.")] = None,
        order_id: Annotated[str | None, Query(max_length=64)] = None,
        customer: Annotated[str | None, Query(max_length=200, description="Staff only.")] = None,
    ) -> Page[PaymentV2]:
        viewer = viewer_of(principal)
        query = PaymentQuery(limit, viewer or customer, status, order_id, sort, cursor)
        items, next_cursor = operations.page(rt, query, payment_v2)
        return Page[PaymentV2](items=items, next_cursor=next_cursor)


def _get_payment(router: APIRouter, rt: PaymentsRuntime) -> None:
    @router.get(
        "/payments/{payment_id}",
        operation_id="get_payment_v2",
        summary="Read a payment",
        response_model=PaymentV2,
        responses={200: READ, **problem_responses(404, 422)},
    )
    def get_payment(payment_id: PaymentId, principal: Reader, response: Response) -> PaymentV2:
        return operations.read(rt, payment_id, viewer_of(principal), response, payment_v2)


def _capture_payment(router: APIRouter, rt: PaymentsRuntime) -> None:
    @router.post(
        "/payments/{payment_id}/capture",
        operation_id="capture_payment_v2",
        summary="Capture an authorized payment",
        response_model=PaymentV2,
        responses={200: CAPTURED, **problem_responses(404, 409, 412, 422)},
    )
    def capture_payment(
        *,
        payment_id: PaymentId,
        body: CaptureV2,
        key: IdempotencyKey,
        principal: Writer,
        request: Request,
        response: Response,
        if_match: IfMatch = None,
    ) -> PaymentV2:
        amount = body.amount.amount if body.amount else None
        currency = body.amount.currency.value if body.amount else None
        claim = claim_of(principal, key, request, body)
        cmd = CapturePayment(payment_id, amount, claim, currency)
        return operations.capture(rt, cmd, if_match, response, payment_v2)


def _refund_payment(router: APIRouter, rt: PaymentsRuntime) -> None:
    @router.post(
        "/payments/{payment_id}/refunds",
        operation_id="refund_payment_v2",
        summary="Refund part or all of a captured payment",
        status_code=201,
        response_model=RefundV2,
        responses=problem_responses(404, 409, 412, 422),
    )
    def refund_payment(
        *,
        payment_id: PaymentId,
        body: RefundCreateV2,
        key: IdempotencyKey,
        principal: Writer,
        request: Request,
        response: Response,
        if_match: IfMatch = None,
    ) -> RefundV2:
        claim = claim_of(principal, key, request, body)
        amount = body.amount
        cmd = RefundPayment(payment_id, amount.amount, body.reason, claim, amount.currency.value)
        return operations.refund(rt, cmd, if_match, response, refund_v2)


def build_v2_router(rt: PaymentsRuntime) -> APIRouter:
    router = APIRouter(prefix="/v2", tags=["payments"], responses=AUTH_RESPONSES)

    for add in (
        _create_payment,
        _list_payments,
        _get_payment,
        _capture_payment,
        _refund_payment,
    ):
        add(router, rt)
    return router
