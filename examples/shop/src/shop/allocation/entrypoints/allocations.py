"""Allocation endpoints for other services (``X-API-Key``): allocate and deallocate order
lines, read an order's allocations."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Response, status

from shop.allocation.entrypoints import schemas
from shop.allocation.entrypoints.batches import AllocationRuntime
from shop.allocation.service_layer import commands, handlers
from shop.identity import AUTH_RESPONSES, Principal, require_service
from shop.platform.problems import problem_responses

Service = Annotated[Principal, require_service("allocation:write")]
Reader = Annotated[Principal, require_service("allocation:read")]
LOCATION: dict[str, Any] = {
    "Location": {"description": "The order's allocations.", "schema": {"type": "string"}}
}
OrderPath = Annotated[str, Path(max_length=100, description="The order id.")]
SkuPath = Annotated[str, Path(max_length=63, description="The SKU of the order line.")]


def build_allocations_router(runtime: AllocationRuntime, version: str) -> APIRouter:
    router = APIRouter(prefix=f"/{version}/allocations", tags=["allocation"])
    suffix = "" if version == "v1" else f"_{version}"
    _allocate(router, runtime, suffix)
    _deallocate(router, runtime, suffix)
    _order(router, runtime, suffix)
    return router


def _held(runtime: AllocationRuntime, order_id: str, sku: str) -> bool:
    with runtime.uow() as uow:
        return any(line.sku == sku for line, _ in uow.views.lines_of(order_id))


def _allocate(router: APIRouter, runtime: AllocationRuntime, suffix: str) -> None:
    @router.post(
        "",
        operation_id="allocate" + suffix,
        summary="Allocate an order line to a batch",
        status_code=status.HTTP_201_CREATED,
        response_model=schemas.AllocationOut,
        responses={
            200: {"description": "Already allocated (a retry).", "model": schemas.AllocationOut},
            201: {"headers": LOCATION},
            **AUTH_RESPONSES,
            **problem_responses(404, 409, 422),
        },
    )
    def allocate(
        _: Service, body: schemas.AllocationRequest, response: Response
    ) -> schemas.AllocationOut:
        """Allocate to the earliest suitable batch (stock before shipments); 409 when out
        of stock, 404 when no batch of the SKU exists. Retrying is safe."""
        if _held(runtime, body.order_id, body.sku):
            response.status_code = status.HTTP_200_OK
        response.headers["Location"] = f"{router.prefix}/{body.order_id}"
        cmd = commands.Allocate(body.order_id, body.sku, body.quantity)
        reference = handlers.allocate(cmd, runtime.uow())
        return schemas.AllocationOut(
            order_id=body.order_id, sku=body.sku, quantity=body.quantity, batch_reference=reference
        )


def _deallocate(router: APIRouter, runtime: AllocationRuntime, suffix: str) -> None:
    @router.delete(
        "/{order_id}/{sku}",
        operation_id="deallocate" + suffix,
        summary="Deallocate an order line (idempotent)",
        status_code=status.HTTP_204_NO_CONTENT,
        responses={**AUTH_RESPONSES, **problem_responses(409, 422)},
    )
    def deallocate(_: Service, order_id: OrderPath, sku: SkuPath) -> Response:
        """Free the line's units; 204 also when nothing was allocated."""
        handlers.deallocate(commands.Deallocate(order_id, sku), runtime.uow())
        return Response(status_code=status.HTTP_204_NO_CONTENT)


def _order(router: APIRouter, runtime: AllocationRuntime, suffix: str) -> None:
    @router.get(
        "/{order_id}",
        operation_id="get_order_allocations" + suffix,
        summary="Get an order's allocations",
        response_model=schemas.OrderAllocations,
        responses={**AUTH_RESPONSES, **problem_responses(422)},
    )
    def get_order_allocations(_: Reader, order_id: OrderPath) -> schemas.OrderAllocations:
        """Every allocated line of the order (empty when none)."""
        with runtime.uow() as uow:
            lines = uow.views.lines_of(order_id)
        return schemas.OrderAllocations(
            order_id=order_id,
            lines=[
                schemas.AllocationOut(
                    order_id=order_id, sku=line.sku, quantity=line.quantity, batch_reference=ref
                )
                for line, ref in lines
            ],
        )
