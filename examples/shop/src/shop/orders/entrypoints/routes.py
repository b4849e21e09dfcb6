"""``/v1/orders`` and ``/v2/orders``: one router per API version.

The versions differ only in how money is represented (v1: flat ``*_minor`` + ``currency``
fields, deprecated; v2: ``{"amount": 1299, "currency": "EUR"}`` objects), so one factory
builds both from a `Representation`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

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
from shop.orders.entrypoints.schemas import OrderV1, OrderV2, PlaceOrderIn, order_v1, order_v2
from shop.orders.service_layer.commands import CancelOrder, PlaceOrder
from shop.orders.service_layer.handlers import Orders
from shop.orders.service_layer.unit_of_work import OrderQuery
from shop.platform.pagination import Cursor, Limit, Page
from shop.platform.problems import problem_responses


@dataclass(frozen=True, slots=True)
class Representation:
    """One API version's name, order model and renderer."""

    version: str
    model: type[Any]
    render: Callable[[dict[str, Any]], Any]

    @property
    def prefix(self) -> str:
        return f"/{self.version}"

    @property
    def page(self) -> Any:
        """``Page[model]``: a list page of this version's orders."""
        return Page[self.model]  # type: ignore[name-defined]


V1 = Representation("v1", OrderV1, order_v1)
V2 = Representation("v2", OrderV2, order_v2)


def _place_order(router: APIRouter, orders: Orders, rep: Representation) -> None:
    @router.post(
        "/orders",
        operation_id=f"place_order_{rep.version}",
        summary="Place an order (reserve, allocate, charge)",
        status_code=201,
        response_model=rep.model,
        responses={
            201: {**PLACED, "links": order_links(rep.version)},
            202: {**ACCEPTED, "model": rep.model, "links": order_links(rep.version)},
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
    ) -> Any:
        lines = tuple((line.sku, line.qty) for line in body.lines)
        claim = claim_of(principal, key, request, body)
        cmd = PlaceOrder(principal.subject, lines, body.payment_method, claim)
        return operations.place(orders, cmd, response, rep.prefix, rep.render)


def _list_orders(router: APIRouter, orders: Orders, rep: Representation) -> None:
    @router.get(
        "/orders",
        operation_id=f"list_orders_{rep.version}",
        summary="List orders (customers: their own)",
        response_model=rep.page,
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
    ) -> Any:
        viewer = viewer_of(principal)
        query = OrderQuery(limit, viewer or customer, status, sort, cursor)
        items, next_cursor = operations.page(orders, query, rep.render)
        return rep.page(items=items, next_cursor=next_cursor)


def _get_order(router: APIRouter, orders: Orders, rep: Representation) -> None:
    @router.get(
        "/orders/{order_id}",
        operation_id=f"get_order_{rep.version}",
        summary="Read an order and its saga log",
        response_model=rep.model,
        responses={200: READ, **problem_responses(404, 422)},
    )
    def get_order(*, order_id: OrderId, principal: Reader, response: Response) -> Any:
        return operations.read(orders, order_id, viewer_of(principal), response, rep.render)


def _cancel_order(router: APIRouter, orders: Orders, rep: Representation) -> None:
    @router.post(
        "/orders/{order_id}/cancel",
        operation_id=f"cancel_order_{rep.version}",
        summary="Cancel a confirmed order (refund, deallocate, release)",
        response_model=rep.model,
        responses={200: CANCELLED, **problem_responses(404, 409, 412, 422)},
    )
    def cancel_order(
        *, order_id: OrderId, principal: Writer, response: Response, if_match: IfMatch = None
    ) -> Any:
        cmd = CancelOrder(order_id, viewer_of(principal))
        return operations.cancel(orders, cmd, if_match, response, rep.render)


def build_router(orders: Orders, rep: Representation) -> APIRouter:
    """The orders operations of one API version."""
    router = APIRouter(prefix=rep.prefix, tags=["orders"], responses=AUTH_RESPONSES)
    for add in (_place_order, _list_orders, _get_order, _cancel_order):
        add(router, orders, rep)
    return router


def build_v1_router(orders: Orders) -> APIRouter:
    return build_router(orders, V1)


def build_v2_router(orders: Orders) -> APIRouter:
    return build_router(orders, V2)
