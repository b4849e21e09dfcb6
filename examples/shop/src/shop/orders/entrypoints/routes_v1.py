"""``/v1/orders``: money as flat ``*_minor`` + ``currency`` fields (deprecated)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from shop.identity import AUTH_RESPONSES
from shop.orders.domain.order import OrderStatus
from shop.orders.entrypoints import operations
from shop.orders.entrypoints.runtime import (
    ACCEPTED,
    CANCELLED,
    PLACED,
    READ,
    IdempotencyKey,
    IfMatch,
    OrderId,
    OrderSort,
    Reader,
    Writer,
    claim_of,
    order_links,
    viewer_of,
)
from shop.orders.entrypoints.schemas import OrderV1, PlaceOrderIn, order_v1
from shop.orders.service_layer.commands import CancelOrder, PlaceOrder
from shop.orders.service_layer.handlers import Orders
from shop.orders.service_layer.unit_of_work import OrderQuery
from shop.platform.pagination import Cursor, Limit, Page
from shop.platform.problems import problem_responses


def _place_order(router: APIRouter, orders: Orders) -> None:
    @router.post(
        "/orders",
        operation_id="place_order_v1",
        summary="Place an order (reserve, allocate, charge)",
        status_code=201,
        response_model=OrderV1,
        responses={
            201: {**PLACED, "links": order_links("v1")},
            202: {**ACCEPTED, "model": OrderV1, "links": order_links("v1")},
            **problem_responses(402, 409, 422),
        },
    )
    def place_order(
        *,
        body: PlaceOrderIn,
        key: IdempotencyKey,
        principal: Writer,
        request: Request,
        response: Response,
    ) -> OrderV1:
        lines = tuple((line.sku, line.qty) for line in body.lines)
        claim = claim_of(principal, key, request, body)
        cmd = PlaceOrder(principal.subject, lines, body.payment_method, claim)
        return operations.place(orders, cmd, response, "/v1", order_v1)


def _list_orders(router: APIRouter, orders: Orders) -> None:
    @router.get(
        "/orders",
        operation_id="list_orders_v1",
        summary="List orders (customers: their own)",
        response_model=Page[OrderV1],
        responses=problem_responses(400, 422),
    )
    def list_orders(
        *,
        principal: Reader,
        limit: Limit,
        cursor: Cursor,
        sort: OrderSort,
        status: Annotated[OrderStatus | None, Query(description="Only this status.")] = None,
        customer: Annotated[str | None, Query(max_length=200, description="Staff only.")] = None,
    ) -> Page[OrderV1]:
        viewer = viewer_of(principal)
        query = OrderQuery(limit, viewer or customer, status, sort, cursor)
        items, next_cursor = operations.page(orders, query, order_v1)
        return Page[OrderV1](items=items, next_cursor=next_cursor)


def _get_order(router: APIRouter, orders: Orders) -> None:
    @router.get(
        "/orders/{order_id}",
        operation_id="get_order_v1",
        summary="Read an order and its saga log",
        response_model=OrderV1,
        responses={200: READ, **problem_responses(404, 422)},
    )
    def get_order(*, order_id: OrderId, principal: Reader, response: Response) -> OrderV1:
        return operations.read(orders, order_id, viewer_of(principal), response, order_v1)


def _cancel_order(router: APIRouter, orders: Orders) -> None:
    @router.post(
        "/orders/{order_id}/cancel",
        operation_id="cancel_order_v1",
        summary="Cancel a confirmed order (refund, deallocate, release)",
        response_model=OrderV1,
        responses={200: CANCELLED, **problem_responses(404, 409, 412, 422)},
    )
    def cancel_order(
        *, order_id: OrderId, principal: Writer, response: Response, if_match: IfMatch = None
    ) -> OrderV1:
        cmd = CancelOrder(order_id, viewer_of(principal))
        return operations.cancel(orders, cmd, if_match, response, order_v1)


def build_v1_router(orders: Orders) -> APIRouter:
    router = APIRouter(prefix="/v1", tags=["orders"], responses=AUTH_RESPONSES)

    for add in (
        _place_order,
        _list_orders,
        _get_order,
        _cancel_order,
    ):
        add(router, orders)
    return router
