"""Service-to-service endpoints (``X-API-Key``): reservations and prices for the orders saga.

``POST /v1/reservations`` honours ``Idempotency-Key``: the same key with the same request
answers the same reservation (200 instead of 201), with another request 422. Without a
key the order id makes retries safe: the same order asking again for the same lines gets
its live reservation; different lines while one is live answer 409.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Path, Response, status

from shop.identity import AUTH_RESPONSES, Principal, require_service
from shop.inventory.entrypoints import representations, schemas
from shop.inventory.entrypoints.runtime import LOCATION_HEADER, InventoryRuntime
from shop.inventory.service_layer import commands, handlers, views
from shop.platform.problems import problem_responses

Reader = Annotated[Principal, require_service("inventory:read")]
Writer = Annotated[Principal, require_service("inventory:write")]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="Same key and request: the same reservation (200). Same key with "
        "another request: 422.",
    ),
]
ReservationId = Annotated[str, Path(max_length=64, description="The reservation's id.")]


def build_reservations_router(runtime: InventoryRuntime, version: str) -> APIRouter:
    router = APIRouter(prefix=f"/{version}", tags=["inventory"])
    suffix = "" if version == "v1" else f"_{version}"
    _reserve(router, runtime, suffix)
    _read(router, runtime, suffix)
    _transitions(router, runtime, suffix)
    _price(router, runtime, suffix)
    return router


def _reserve(router: APIRouter, runtime: InventoryRuntime, suffix: str) -> None:
    @router.post(
        "/reservations",
        operation_id="reserve_stock" + suffix,
        summary="Reserve stock for an order",
        status_code=status.HTTP_201_CREATED,
        response_model=schemas.ReservationOut,
        responses={
            200: {
                "description": "The order's existing reservation (a retry).",
                "model": schemas.ReservationOut,
            },
            201: {"headers": LOCATION_HEADER},
            **AUTH_RESPONSES,
            **problem_responses(404, 409, 422),
        },
    )
    def reserve_stock(
        _: Writer,
        body: schemas.ReservationRequest,
        response: Response,
        idempotency_key: IdempotencyKey = None,
    ) -> schemas.ReservationOut:
        """Hold every line's units for `ttl_seconds`, all or none (409 when short)."""
        lines = [(line.sku, line.quantity) for line in body.lines]
        cmd = commands.Reserve(body.order_id, lines, body.ttl_seconds, idempotency_key)
        outcome = handlers.reserve(cmd, runtime.uow(), runtime.env)
        found = outcome.reservation
        if not outcome.created:
            response.status_code = status.HTTP_200_OK
        response.headers["Location"] = f"{router.prefix}/reservations/{found.id}"
        return representations.reservation(found, runtime.env.clock())


def _read(router: APIRouter, runtime: InventoryRuntime, suffix: str) -> None:
    @router.get(
        "/reservations/{reservation_id}",
        operation_id="get_reservation" + suffix,
        summary="Get a reservation",
        response_model=schemas.ReservationOut,
        responses={**AUTH_RESPONSES, **problem_responses(404, 422)},
    )
    def get_reservation(_: Reader, reservation_id: ReservationId) -> schemas.ReservationOut:
        """The reservation and its status now (pending, confirmed, released, expired)."""
        found = views.reservation(runtime.uow(), reservation_id)
        return representations.reservation(found, runtime.env.clock())


def _transitions(router: APIRouter, runtime: InventoryRuntime, suffix: str) -> None:
    @router.post(
        "/reservations/{reservation_id}/release",
        operation_id="release_reservation" + suffix,
        summary="Release a reservation (idempotent)",
        response_model=schemas.ReservationOut,
        responses={**AUTH_RESPONSES, **problem_responses(404, 409, 422)},
    )
    def release_reservation(_: Writer, reservation_id: ReservationId) -> schemas.ReservationOut:
        """Give the units back; releasing again, or an expired reservation, is a no-op.
        A confirmed reservation answers 409."""
        cmd = commands.Release(reservation_id)
        found = handlers.release(cmd, runtime.uow(), runtime.env)
        return representations.reservation(found, runtime.env.clock())

    @router.post(
        "/reservations/{reservation_id}/confirm",
        operation_id="confirm_reservation" + suffix,
        summary="Confirm a reservation (idempotent)",
        response_model=schemas.ReservationOut,
        responses={**AUTH_RESPONSES, **problem_responses(404, 409, 422)},
    )
    def confirm_reservation(_: Writer, reservation_id: ReservationId) -> schemas.ReservationOut:
        """The units leave the stock on hand; a released or expired reservation answers 409."""
        cmd = commands.Confirm(reservation_id)
        found = handlers.confirm(cmd, runtime.uow(), runtime.env)
        return representations.reservation(found, runtime.env.clock())


def _price(router: APIRouter, runtime: InventoryRuntime, suffix: str) -> None:
    @router.get(
        "/prices/{sku}",
        operation_id="get_price" + suffix,
        summary="Get the price of a product",
        response_model=schemas.PriceOut,
        responses={**AUTH_RESPONSES, **problem_responses(404, 422)},
    )
    def get_price(_: Reader, sku: Annotated[str, Path(max_length=63)]) -> schemas.PriceOut:
        """The current price in minor units, for pricing order lines."""
        amount, currency = views.price_of(runtime.uow(), sku)
        return schemas.PriceOut(sku=sku, amount=amount, currency=currency)
