"""Version-independent parts of the orders endpoints: run, render, page, headers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import Response
from pydantic import BaseModel

from shop.orders.domain.order import Order
from shop.orders.entrypoints.errors import order_problems, placement_failed
from shop.orders.service_layer import handlers
from shop.orders.service_layer.commands import CancelOrder, PlaceOrder
from shop.orders.service_layer.handlers import Orders
from shop.orders.service_layer.unit_of_work import OrderQuery, sort_values
from shop.orders.service_layer.views import order_snapshot
from shop.platform.concurrency import check_if_match, etag_of
from shop.platform.outbox import wakes_held
from shop.platform.pagination import encode_cursor

Model = TypeVar("Model", bound=BaseModel)
Render = Callable[[dict[str, Any]], Model]


def place(
    orders: Orders, cmd: PlaceOrder, response: Response, prefix: str, render: Render[Model]
) -> Model:
    """201 confirmed, 202 still running, a problem (409/402) when the saga failed.

    The saga's commits (the order's and its peers') wake the outbox relay once, at the end.
    """
    with order_problems(), wakes_held():
        outcome = handlers.place_order(cmd, orders)
    snapshot = outcome.snapshot
    if outcome.status >= 400:
        raise placement_failed(outcome.status, snapshot)
    response.status_code = outcome.status
    response.headers["Location"] = f"{prefix}/orders/{snapshot['id']}"
    response.headers["ETag"] = etag_of(snapshot["version"])
    return render(snapshot)


def read(
    orders: Orders, order_id: str, viewer: str | None, response: Response, render: Render[Model]
) -> Model:
    with order_problems():
        order = handlers.get_order(order_id, viewer, orders)
    response.headers["ETag"] = etag_of(order.version)
    return render(order_snapshot(order))


def cancel(
    orders: Orders,
    cmd: CancelOrder,
    if_match: str | None,
    response: Response,
    render: Render[Model],
) -> Model:
    def precondition(order: Order) -> None:
        check_if_match(if_match, etag_of(order.version), required=False)

    with order_problems(), wakes_held():
        order = handlers.cancel_order(cmd, orders, precondition)
    response.headers["ETag"] = etag_of(order.version)
    return render(order_snapshot(order))


def page(
    orders: Orders, query: OrderQuery, render: Render[Model]
) -> tuple[list[Model], str | None]:
    """One page (asking for one row more tells whether another page follows)."""
    wider = OrderQuery(query.limit + 1, query.customer, query.status, query.sort, query.after)
    found = handlers.list_orders(wider, orders)
    shown = found[: query.limit]
    more = len(found) > len(shown)
    cursor = encode_cursor(sort_values(shown[-1], query.sort)) if more else None
    return [render(order_snapshot(o)) for o in shown], cursor
