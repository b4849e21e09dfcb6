"""``InventoryFacade``: what the order saga calls, in-process or mirrored over HTTP.

In one process the app factory registers ``ctx.facades["inventory"]``. Across processes
the orders service calls these HTTP operations instead (``X-API-Key`` of a service whose
key holds the scope; every error is ``application/problem+json``):

``reserve(order_id, lines, ttl_seconds=900) -> reservation id``
    ``POST /v1/reservations`` (scope ``inventory:write``), body
    ``{"order_id": "o-1", "lines": [{"sku": "LAMP-1", "quantity": 2}], "ttl_seconds": 900}``
    (1-100 lines, quantity >= 1, ttl 1-86400; SKUs may repeat and are summed).
    Optional header ``Idempotency-Key`` (1-200 chars): the same key with the same request
    answers the same reservation with ``200``; with another request ``422`` (type
    ``…/idempotency-key-reused``). Without a key, the same order asking again for the
    same lines also gets its live reservation (``200``).
    ``201`` (new) or ``200`` (a retry) with ``ReservationOut``
    ``{"id": "res_…", "order_id", "status": "pending", "created_at", "expires_at",
    "lines": [{"sku", "quantity"}]}`` and ``Location: /v1/reservations/{id}``.
    ``409`` type ``…/insufficient-stock`` (extra fields ``sku``, ``requested``,
    ``available``) → ``InsufficientStock``; ``409 …/reservation-conflict`` when the order
    holds a live reservation for other lines; ``404`` (``resource: "product"``, ``id``)
    → ``UnknownProduct``; ``422`` invalid body.

``release(reservation_id) -> None`` (idempotent)
    ``POST /v1/reservations/{id}/release`` → ``200 ReservationOut`` (status ``released``,
    or ``expired`` / already ``released``: no-op). ``409`` when already confirmed,
    ``404`` unknown id.

``confirm(reservation_id) -> None`` (idempotent)
    ``POST /v1/reservations/{id}/confirm`` → ``200 ReservationOut`` (``confirmed``; the
    units leave the stock on hand). ``409`` when released or expired; ``404`` unknown.

``price_of(sku) -> (amount, currency)``
    ``GET /v1/prices/{sku}`` (scope ``inventory:read``) → ``200 {"sku", "amount": 1299,
    "currency": "EUR"}``; ``404`` unknown SKU.

``GET /v1/reservations/{id}`` (``inventory:read``) shows a reservation's status now.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from shop.inventory.service_layer import commands, handlers, views
from shop.inventory.service_layer.environment import Environment
from shop.inventory.service_layer.unit_of_work import InventoryUnitOfWork


class InventoryFacade:
    """The inventory operations other services use, as plain method calls."""

    def __init__(self, uow: Callable[[], InventoryUnitOfWork], env: Environment) -> None:
        self._uow = uow
        self._env = env

    def reserve(
        self, order_id: str, lines: Sequence[tuple[str, int]], ttl_seconds: int = 900
    ) -> str:
        """Hold the lines' units for the order; the reservation id. Raises
        ``InsufficientStock`` (409) or ``UnknownProduct`` (404); retrying is safe."""
        cmd = commands.Reserve(order_id, list(lines), ttl_seconds)
        return handlers.reserve(cmd, self._uow(), self._env).reservation.id

    def release(self, reservation_id: str) -> None:
        """Give the units back (idempotent; no-op once expired)."""
        handlers.release(commands.Release(reservation_id), self._uow(), self._env)

    def confirm(self, reservation_id: str) -> None:
        """Take the units off hand for shipping (idempotent)."""
        handlers.confirm(commands.Confirm(reservation_id), self._uow(), self._env)

    def price_of(self, sku: str) -> tuple[int, str]:
        """The product's price: ``(amount in minor units, currency)``."""
        return views.price_of(self._uow(), sku)
