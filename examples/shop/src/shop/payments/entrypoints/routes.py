"""``/v1/payments`` and ``/v2/payments``: one router per API version.

The versions differ only in how money is represented (v1: flat ``amount_minor`` +
``currency`` fields, deprecated; v2: ``{"amount": 1299, "currency": "EUR"}`` objects),
so one factory builds both from a `Representation`: its request and response models,
renderers, and how a request body's money reads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request, Response

from shop.identity import AUTH_RESPONSES
from shop.payments.domain.payment import PaymentStatus
from shop.payments.entrypoints import operations, schemas
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
from shop.payments.service_layer.commands import CapturePayment, CreatePayment, RefundPayment
from shop.payments.service_layer.unit_of_work import PaymentQuery
from shop.platform.pagination import Cursor, Limit, Page
from shop.platform.problems import problem_responses
from shop.platform.signatures import typed

Amount = tuple[int, str | None]
"""Minor units and, when the body names it, the currency."""


@dataclass(frozen=True, slots=True)
class Representation:
    """One API version's models, renderers and reading of money in request bodies."""

    version: str
    payment: type[Any]
    refund: type[Any]
    create_body: type[Any]
    capture_body: type[Any]
    refund_body: type[Any]
    examples: dict[str, Any]
    render_payment: Callable[[dict[str, Any]], Any]
    render_refund: Callable[[dict[str, Any]], Any]
    charged: Callable[[Any], tuple[int, str]]
    captured: Callable[[Any], tuple[int | None, str | None]]
    refunded: Callable[[Any], Amount]

    @property
    def prefix(self) -> str:
        return f"/{self.version}"

    @property
    def page(self) -> Any:
        """``Page[payment]``: a list page of this version's payments."""
        return Page[self.payment]  # type: ignore[name-defined]


V1 = Representation(
    "v1",
    schemas.PaymentV1,
    schemas.RefundV1,
    schemas.PaymentCreateV1,
    schemas.CaptureV1,
    schemas.RefundCreateV1,
    schemas.PAYMENT_EXAMPLES_V1,
    schemas.payment_v1,
    schemas.refund_v1,
    charged=lambda body: (body.amount_minor, body.currency.value),
    captured=lambda body: (body.amount_minor, None),
    refunded=lambda body: (body.amount_minor, None),
)
V2 = Representation(
    "v2",
    schemas.PaymentV2,
    schemas.RefundV2,
    schemas.PaymentCreateV2,
    schemas.CaptureV2,
    schemas.RefundCreateV2,
    schemas.PAYMENT_EXAMPLES_V2,
    schemas.payment_v2,
    schemas.refund_v2,
    charged=lambda body: (body.amount.amount, body.amount.currency.value),
    captured=lambda body: (
        (body.amount.amount, body.amount.currency.value) if body.amount else (None, None)
    ),
    refunded=lambda body: (body.amount.amount, body.amount.currency.value),
)


def _create_payment(router: APIRouter, rt: PaymentsRuntime, rep: Representation) -> None:
    def create_payment(
        *, body: Any, key: IdempotencyKey, principal: Writer, request: Request, response: Response
    ) -> Any:
        amount, currency = rep.charged(body)
        claim = claim_of(principal, key, request, body)
        cmd = CreatePayment(
            body.customer, body.order_id, amount, currency, body.payment_method, body.capture, claim
        )
        return operations.create(rt, cmd, response, rep.prefix, rep.render_payment)

    router.post(
        "/payments",
        operation_id=f"create_payment_{rep.version}",
        summary="Authorize a payment (optionally capture it)",
        status_code=201,
        response_model=rep.payment,
        responses={
            201: {**CREATED, "links": payment_links(rep.version)},
            **DECLINED,
            **problem_responses(409, 422, 503),
        },
    )(typed(create_payment, body=Annotated[rep.create_body, Body(openapi_examples=rep.examples)]))


def _list_payments(router: APIRouter, rt: PaymentsRuntime, rep: Representation) -> None:
    @router.get(
        "/payments",
        operation_id=f"list_payments_{rep.version}",
        summary="List payments (customers: their own)",
        response_model=rep.page,
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
    ) -> Any:
        viewer = viewer_of(principal)
        query = PaymentQuery(limit, viewer or customer, status, order_id, sort, cursor)
        items, next_cursor = operations.page(rt, query, rep.render_payment)
        return rep.page(items=items, next_cursor=next_cursor)


def _get_payment(router: APIRouter, rt: PaymentsRuntime, rep: Representation) -> None:
    @router.get(
        "/payments/{payment_id}",
        operation_id=f"get_payment_{rep.version}",
        summary="Read a payment",
        response_model=rep.payment,
        responses={200: READ, **problem_responses(404, 422)},
    )
    def get_payment(payment_id: PaymentId, principal: Reader, response: Response) -> Any:
        viewer = viewer_of(principal)
        return operations.read(rt, payment_id, viewer, response, rep.render_payment)


def _capture_payment(router: APIRouter, rt: PaymentsRuntime, rep: Representation) -> None:
    def capture_payment(
        *,
        payment_id: PaymentId,
        body: Any,
        key: IdempotencyKey,
        principal: Writer,
        request: Request,
        response: Response,
        if_match: IfMatch = None,
    ) -> Any:
        amount, currency = rep.captured(body)
        claim = claim_of(principal, key, request, body)
        cmd = CapturePayment(payment_id, amount, claim, currency)
        return operations.capture(rt, cmd, if_match, response, rep.render_payment)

    router.post(
        "/payments/{payment_id}/capture",
        operation_id=f"capture_payment_{rep.version}",
        summary="Capture an authorized payment",
        response_model=rep.payment,
        responses={200: CAPTURED, **problem_responses(404, 409, 412, 422)},
    )(typed(capture_payment, body=rep.capture_body))


def _refund_payment(router: APIRouter, rt: PaymentsRuntime, rep: Representation) -> None:
    def refund_payment(
        *,
        payment_id: PaymentId,
        body: Any,
        key: IdempotencyKey,
        principal: Writer,
        request: Request,
        response: Response,
        if_match: IfMatch = None,
    ) -> Any:
        amount, currency = rep.refunded(body)
        claim = claim_of(principal, key, request, body)
        cmd = RefundPayment(payment_id, amount, body.reason, claim, currency)
        return operations.refund(rt, cmd, if_match, response, rep.render_refund)

    router.post(
        "/payments/{payment_id}/refunds",
        operation_id=f"refund_payment_{rep.version}",
        summary="Refund part or all of a captured payment",
        status_code=201,
        response_model=rep.refund,
        responses=problem_responses(404, 409, 412, 422),
    )(typed(refund_payment, body=rep.refund_body))


def build_router(rt: PaymentsRuntime, rep: Representation) -> APIRouter:
    """The public payments operations of one API version."""
    router = APIRouter(prefix=rep.prefix, tags=["payments"], responses=AUTH_RESPONSES)
    for add in (_create_payment, _list_payments, _get_payment, _capture_payment, _refund_payment):
        add(router, rt, rep)
    return router


def build_v1_router(rt: PaymentsRuntime) -> APIRouter:
    return build_router(rt, V1)


def build_v2_router(rt: PaymentsRuntime) -> APIRouter:
    return build_router(rt, V2)
