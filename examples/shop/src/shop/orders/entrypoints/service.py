"""The orders service as the app factory mounts it (``SERVICE``).

Peers in this process are called through their facades (``ctx.facades``), the others
over HTTP (``ctx.clients``). A background ``SagaResumer`` drives the sagas a crash or an
outage left unfinished.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, cast

from fastapi import APIRouter

from shop.orders.adapters import in_process, over_http
from shop.orders.adapters.unit_of_work import SqlOrdersUnitOfWork
from shop.orders.entrypoints.routes import build_v1_router, build_v2_router
from shop.orders.service_layer.defects import ORDERS_DEFECTS
from shop.orders.service_layer.environment import OrdersEnvironment
from shop.orders.service_layer.handlers import Orders
from shop.orders.service_layer.ports import (
    AllocationPort,
    Downstream,
    InventoryPort,
    PaymentsPort,
)
from shop.orders.service_layer.recovery import SagaResumer
from shop.orders.service_layer.saga import OrderSaga
from shop.platform.defects import register_defect
from shop.platform.services import ServiceContext, ServiceModule

logger = logging.getLogger("shop.orders")

for _name, _description in ORDERS_DEFECTS.items():
    register_defect(_name, _description)

TAGS: list[dict[str, Any]] = [
    {
        "name": "orders",
        "description": "Orders placed through a saga across inventory, allocation and "
        "payments; a failure undoes every step taken. Placement takes an Idempotency-Key.",
    }
]
STATE_KEY = "orders"
"""``ctx.state[STATE_KEY]`` holds the wired ``Orders`` (CLI tasks, tests)."""
RESUMER_KEY = "orders.resumer"


def _facade(ctx: ServiceContext, name: str) -> Any:
    def lookup() -> Any:
        return ctx.facades[name]

    return lookup


def downstream(ctx: ServiceContext, env: OrdersEnvironment) -> Downstream:
    """The ports: in-process where the peer runs here, HTTP otherwise."""

    def peer(name: str) -> over_http.HttpPeer:
        return over_http.HttpPeer(lambda: ctx.client(name), env.defects)

    inventory: InventoryPort = (
        in_process.InProcessInventory(_facade(ctx, "inventory"))
        if ctx.is_local("inventory")
        else over_http.HttpInventory(peer("inventory"))
    )
    allocation: AllocationPort = (
        in_process.InProcessAllocation(_facade(ctx, "allocation"))
        if ctx.is_local("allocation")
        else over_http.HttpAllocation(peer("allocation"))
    )
    payments: PaymentsPort = (
        in_process.InProcessPayments(_facade(ctx, "payments"))
        if ctx.is_local("payments")
        else over_http.HttpPayments(peer("payments"))
    )
    return Downstream(inventory, allocation, payments)


def wire(ctx: ServiceContext) -> Orders:
    """The orders service layer on ``ctx``'s database, outbox and peers."""

    def uow() -> SqlOrdersUnitOfWork:
        return SqlOrdersUnitOfWork(ctx.session_factory, on_commit=ctx.relay.wake)

    env = OrdersEnvironment(defects=ctx.defects)
    ports = downstream(ctx, env)
    return Orders(uow, OrderSaga(uow, ports, env), ports.inventory, env)


def build_routers(ctx: ServiceContext) -> Sequence[APIRouter]:
    orders = wire(ctx)
    ctx.state[STATE_KEY] = orders
    return [build_v1_router(orders), build_v2_router(orders)]


def on_start(ctx: ServiceContext) -> None:
    """Resume, in the background, the sagas a crash or an outage left unfinished."""
    resumer = SagaResumer(cast(Orders, ctx.state[STATE_KEY]))
    ctx.state[RESUMER_KEY] = resumer
    resumer.start()


def on_stop(ctx: ServiceContext) -> None:
    resumer = ctx.state.pop(RESUMER_KEY, None)
    if isinstance(resumer, SagaResumer):
        resumer.stop()


SERVICE = ServiceModule("orders", build_routers, TAGS, on_start=on_start, on_stop=on_stop)
