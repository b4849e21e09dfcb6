"""``AllocationFacade``: what the order saga calls, in-process or mirrored over HTTP.

In one process the app factory registers ``ctx.facades["allocation"]``. Across processes
the orders service calls these operations (``X-API-Key`` of a service holding
``allocation:write``; errors are ``application/problem+json``):

``allocate(order_id, sku, qty) -> batch reference``
    ``POST /v1/allocations`` body ``{"order_id": "o-1", "sku": "LAMP-1", "quantity": 2}``
    (quantity 1..1000000) → ``201`` (or ``200`` when the order's line of that SKU was
    already allocated: a retry) with ``{"order_id", "sku", "quantity",
    "batch_reference": "b-001"}``. ``409`` type ``…/out-of-stock`` (extra field ``sku``)
    → ``OutOfStock``; ``404`` (``resource: "sku"``) when no batch of the SKU exists →
    ``UnknownSku``; ``422`` invalid body. Allocation is idempotent per (order, SKU).

``deallocate(order_id, sku) -> None`` (idempotent)
    ``DELETE /v1/allocations/{order_id}/{sku}`` → ``204``, also when nothing was
    allocated.

``GET /v1/allocations/{order_id}`` (``allocation:read``) lists an order's lines; the
``POST`` answers ``Location: /v1/allocations/{order_id}``.
Events ``Allocated``, ``Deallocated`` and ``OutOfStock`` go to the outbox topic
``allocation.events`` (message ``name`` is the event class name).
"""

from __future__ import annotations

from collections.abc import Callable

from shop.allocation.service_layer import commands, handlers
from shop.allocation.service_layer.unit_of_work import AllocationUnitOfWork


class AllocationFacade:
    """Allocation operations other services use, as plain method calls."""

    def __init__(self, uow: Callable[[], AllocationUnitOfWork]) -> None:
        self._uow = uow

    def allocate(self, order_id: str, sku: str, qty: int) -> str:
        """The reference of the batch now holding the line; raises ``OutOfStock`` (409)
        or ``UnknownSku`` (404). Idempotent per order and SKU."""
        return handlers.allocate(commands.Allocate(order_id, sku, qty), self._uow())

    def deallocate(self, order_id: str, sku: str) -> None:
        """Free the order's line of the SKU; nothing happens when it holds none."""
        handlers.deallocate(commands.Deallocate(order_id, sku), self._uow())
