"""``/v1/payments``: money as flat ``amount_minor`` + ``currency`` fields (deprecated)."""

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
    PAYMENT_EXAMPLES_V1,
    CaptureV1,
    PaymentCreateV1,
    PaymentV1,
    RefundCreateV1,
    RefundV1,
    payment_v1,
    refund_v1,
)
from shop.payments.service_layer.commands import CapturePayment, CreatePayment, RefundPayment
from shop.payments.service_layer.unit_of_work import PaymentQuery
from shop.platform.pagination import Cursor, Limit, Page
from shop.platform.problems import problem_responses


def _create_payment(router: APIRouter, rt: PaymentsRuntime) -> None:
    @router.post(
        "/payments",
        operation_id="create_payment_v1",
        summary="Authorize a payment (optionally capture it)",
        status_code=201,
        response_model=PaymentV1,
        responses={
            201: {**CREATED, "links": payment_links("v1")},
            **DECLINED,
            **problem_responses(409, 422, 503),
        },
    )
    def create_payment(
        *,
        body: Annotated[PaymentCreateV1, Body(openapi_examples=PAYMENT_EXAMPLES_V1)],
        key: IdempotencyKey,
        principal: Writer,
        request: Request,
        response: Response,
    ) -> PaymentV1:
        cmd = CreatePayment(
            body.customer,
            body.order_id,
            body.amount_minor,
            body.currency.value,
            body.payment_method,
            body.capture,
            claim_of(principal, key, request, body),
        )
        return operations.create(rt, cmd, response, "/v1", payment_v1)


def _list_payments(router: APIRouter, rt: PaymentsRuntime) -> None:
    @router.get(
        "/payments",
        operation_id="list_payments_v1",
        summary="List payments (customers: their own)",
        response_model=Page[PaymentV1],
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
    ) -> Page[PaymentV1]:
        viewer = viewer_of(principal)
        query = PaymentQuery(limit, viewer or customer, status, order_id, sort, cursor)
        items, next_cursor = operations.page(rt, query, payment_v1)
        return Page[PaymentV1](items=items, next_cursor=next_cursor)


def _get_payment(router: APIRouter, rt: PaymentsRuntime) -> None:
    @router.get(
        "/payments/{payment_id}",
        operation_id="get_payment_v1",
        summary="Read a payment",
        response_model=PaymentV1,
        responses={200: READ, **problem_responses(404, 422)},
    )
    def get_payment(payment_id: PaymentId, principal: Reader, response: Response) -> PaymentV1:
        return operations.read(rt, payment_id, viewer_of(principal), response, payment_v1)


def _capture_payment(router: APIRouter, rt: PaymentsRuntime) -> None:
    @router.post(
        "/payments/{payment_id}/capture",
        operation_id="capture_payment_v1",
        summary="Capture an authorized payment",
        response_model=PaymentV1,
        responses={200: CAPTURED, **problem_responses(404, 409, 412, 422)},
    )
    def capture_payment(
        *,
        payment_id: PaymentId,
        body: CaptureV1,
        key: IdempotencyKey,
        principal: Writer,
        request: Request,
        response: Response,
        if_match: IfMatch = None,
    ) -> PaymentV1:
        cmd = CapturePayment(payment_id, body.amount_minor, claim_of(principal, key, request, body))
        return operations.capture(rt, cmd, if_match, response, payment_v1)


def _refund_payment(router: APIRouter, rt: PaymentsRuntime) -> None:
    @router.post(
        "/payments/{payment_id}/refunds",
        operation_id="refund_payment_v1",
        summary="Refund part or all of a captured payment",
        status_code=201,
        response_model=RefundV1,
        responses=problem_responses(404, 409, 412, 422),
    )
    def refund_payment(
        *,
        payment_id: PaymentId,
        body: RefundCreateV1,
        key: IdempotencyKey,
        principal: Writer,
        request: Request,
        response: Response,
        if_match: IfMatch = None,
    ) -> RefundV1:
        claim = claim_of(principal, key, request, body)
        cmd = RefundPayment(payment_id, body.amount_minor, body.reason, claim)
        return operations.refund(rt, cmd, if_match, response, refund_v1)


def build_v1_router(rt: PaymentsRuntime) -> APIRouter:
    router = APIRouter(prefix="/v1", tags=["payments"], responses=AUTH_RESPONSES)

    for add in (
        _create_payment,
        _list_payments,
        _get_payment,
        _capture_payment,
        _refund_payment,
    ):
        add(router, rt)
    return router
