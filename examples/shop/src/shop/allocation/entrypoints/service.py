"""``SERVICE``: how the app factory mounts allocation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter

from shop.allocation.adapters.repositories import SqlAllocationUnitOfWork
from shop.allocation.entrypoints.allocations import build_allocations_router
from shop.allocation.entrypoints.batches import AllocationRuntime, build_batches_router
from shop.allocation.service_layer import defects
from shop.allocation.service_layer.facade import AllocationFacade
from shop.platform.services import ServiceContext, ServiceModule

TAGS: list[dict[str, Any]] = [
    {
        "name": "allocation",
        "description": "Batches of stock and shipments; order lines allocated to them.",
    }
]
KNOWN_DEFECTS = (defects.MISSING_SCOPE,)


def allocation_runtime(ctx: ServiceContext) -> AllocationRuntime:
    def uow() -> SqlAllocationUnitOfWork:
        return SqlAllocationUnitOfWork(ctx.session_factory, on_commit=ctx.relay.wake)

    return AllocationRuntime(uow=uow, defects=ctx.defects)


def build_routers(ctx: ServiceContext) -> Sequence[APIRouter]:
    runtime = allocation_runtime(ctx)
    ctx.facades["allocation"] = AllocationFacade(runtime.uow)
    routers: list[APIRouter] = []
    for version in ("v1", "v2"):
        routers.append(build_batches_router(runtime, version))
        routers.append(build_allocations_router(runtime, version))
    return routers


SERVICE = ServiceModule("allocation", build_routers, TAGS)
