"""The spec says quantity >= 1; the handler's own model forgot the bound."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from tests.checks.bench import Probe
from tests.corpus.apps._documents import VALIDATION_ERROR, json_body, parse
from tests.corpus.apps._hardening import hardened

DEFECT = ("invalid_input_accepted", "POST /cart/items")
PROBES = (
    Probe(
        "POST /cart/items",
        body={"sku": "A-1", "quantity": -3},
        kind="negative",
        phase="boundary",
        mutation="body/quantity: -3 is below the minimum 1",
    ),
)


class CartItem(BaseModel):
    """What the spec documents."""

    sku: str = Field(min_length=1, max_length=20)
    quantity: int = Field(ge=1, le=99)


class LaxCartItem(BaseModel):
    """What the defective handler validates with."""

    sku: str = Field(min_length=1, max_length=20)
    quantity: int = Field(le=99)


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="cart"))
    model = CartItem if fixed else LaxCartItem

    @app.post(
        "/cart/items",
        openapi_extra=json_body(CartItem),
        responses={200: {"model": CartItem}, **VALIDATION_ERROR},
        response_model=None,
    )
    async def add(request: Request) -> JSONResponse:
        item = await parse(model, request)
        if isinstance(item, JSONResponse):
            return item
        return JSONResponse(item.model_dump())

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
