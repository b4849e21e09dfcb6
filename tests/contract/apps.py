"""Small FastAPI apps for the contract tests: a correct one and one with seeded defects."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import FastAPI, HTTPException, Response
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route


class OrderIn(BaseModel):
    sku: str = Field(min_length=1)
    quantity: int = Field(ge=1)


class Order(BaseModel):
    id: int
    sku: str
    quantity: int
    price: float


def _admin() -> Starlette:
    async def stats(request: object) -> PlainTextResponse:
        return PlainTextResponse("ok")

    return Starlette(routes=[Route("/stats", stats)])


def make_app(*, buggy: bool = False) -> FastAPI:
    """The orders app; `buggy` seeds a wrong response type and undocumented routes."""
    app = FastAPI(title="orders", version="1.0.0")
    orders = {1: {"id": 1, "sku": "RED-CHAIR", "quantity": 2, "price": 9.5}}

    @app.get(
        "/orders/{order_id}",
        response_model=Order,
        summary="One order",
        responses={404: {"description": "no such order"}},
    )
    def get_order(order_id: int) -> object:
        if order_id not in orders:
            raise HTTPException(404, "no such order")
        order = dict(orders[order_id])
        if buggy:
            return JSONResponse({**order, "price": "9.50"})
        return order

    @app.post("/orders", response_model=Order, status_code=201, summary="Place an order")
    def place_order(order: OrderIn) -> dict[str, object]:
        new = {"id": len(orders) + 1, **order.model_dump(), "price": 1.0}
        orders[new["id"]] = new
        return new

    @app.get(
        "/stream",
        summary="A streamed listing",
        responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}},
    )
    def stream() -> StreamingResponse:
        def chunks() -> Iterator[bytes]:
            yield from (f"line {n}\n".encode() for n in range(3))

        return StreamingResponse(chunks(), media_type="text/plain")

    if buggy:

        @app.get("/internal/debug", include_in_schema=False)
        def debug() -> dict[str, str]:
            return {"debug": "on"}

        @app.get("/orders/{order_id}/teapot", include_in_schema=False)
        def teapot(order_id: int) -> Response:
            return Response(status_code=418)

        @app.get("/metrics", include_in_schema=False)
        def metrics() -> Response:
            return Response("requests_total 1\n", media_type="text/plain")

        app.mount("/admin", _admin())
    return app
