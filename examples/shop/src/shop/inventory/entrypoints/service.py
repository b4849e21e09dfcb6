"""``SERVICE``: how the app factory mounts the inventory."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from fastapi import APIRouter

from shop.inventory.adapters.repositories import SqlInventoryUnitOfWork
from shop.inventory.entrypoints.catalogue import build_products_v1, build_products_v2
from shop.inventory.entrypoints.reservations import build_reservations_router
from shop.inventory.entrypoints.runtime import InventoryRuntime
from shop.inventory.entrypoints.stock import build_stock_router
from shop.inventory.service_layer import defects
from shop.inventory.service_layer.environment import Environment, utc_now
from shop.inventory.service_layer.facade import InventoryFacade
from shop.platform.services import ServiceContext, ServiceModule

TAGS: list[dict[str, Any]] = [
    {
        "name": "inventory",
        "description": "Products, stock per warehouse, reservations, bulk import and export.",
    }
]
KNOWN_DEFECTS = (
    defects.NEGATIVE_STOCK,
    defects.N_PLUS_ONE,
    defects.RESERVATION_RACE,
    defects.FLOAT_MONEY,
)


def inventory_runtime(ctx: ServiceContext) -> InventoryRuntime:
    """The inventory on the context's database; ``ctx.state["clock"]`` overrides the clock."""
    clock: Callable[[], datetime] = ctx.state.get("clock", utc_now)

    def uow() -> SqlInventoryUnitOfWork:
        return SqlInventoryUnitOfWork(ctx.session_factory, on_commit=ctx.relay.wake)

    return InventoryRuntime(uow=uow, env=Environment(clock=clock, defects=ctx.defects))


def build_routers(ctx: ServiceContext) -> Sequence[APIRouter]:
    runtime = inventory_runtime(ctx)
    ctx.facades["inventory"] = InventoryFacade(runtime.uow, runtime.env)
    routers = [build_products_v1(runtime), build_products_v2(runtime)]
    for version in ("v1", "v2"):
        routers.append(build_stock_router(runtime, version))
        routers.append(build_reservations_router(runtime, version))
    return routers


SERVICE = ServiceModule("inventory", build_routers, TAGS)
