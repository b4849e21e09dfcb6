"""A versioned orders API for the versioning tests: v1 frozen and deprecated, v2 current.

URL versions (``/v1/orders/{id}``, ``/v2/orders/{id}``) and header versions
(``/orders/{id}`` with ``API-Version: 1|2``). `make_versioned(buggy=True)` breaks v1
(price becomes an object, a field disappears), drops the deprecation headers and answers
unknown versions with a bare 500.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Header, HTTPException, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import BaseModel

SUNSET = "Sat, 31 Dec 2039 23:59:59 GMT"
DEPRECATION = "@1767225600"  # 2026-01-01, RFC 9745 structured date


class OrderV1(BaseModel):
    id: int
    sku: str
    price: float


class Money(BaseModel):
    amount: str
    currency: str


class OrderV2(BaseModel):
    id: int
    sku: str
    price: Money


class BuggyOrderV1(BaseModel):
    id: int
    price: Money


def _v1(order_id: int) -> dict[str, Any]:
    return {"id": order_id, "sku": "RED-CHAIR", "price": 9.5}


def _v2(order_id: int) -> dict[str, Any]:
    return {"id": order_id, "sku": "RED-CHAIR", "price": {"amount": "9.50", "currency": "EUR"}}


def make_versioned(*, buggy: bool = False) -> FastAPI:
    app = FastAPI(title="versioned orders", version="2.0.0")
    v1_model: Any = BuggyOrderV1 if buggy else OrderV1

    @app.get("/v1/orders/{order_id}", response_model=v1_model, deprecated=True, summary="v1")
    def get_v1(order_id: int, response: Response) -> dict[str, Any]:
        if not buggy:
            response.headers["Deprecation"] = DEPRECATION
            response.headers["Sunset"] = SUNSET
            response.headers["Link"] = '</v2/orders>; rel="successor-version"'
            return _v1(order_id)
        return {"id": order_id, "price": {"amount": "9.50", "currency": "EUR"}}

    @app.get("/v2/orders/{order_id}", response_model=OrderV2, summary="v2")
    def get_v2(order_id: int) -> dict[str, Any]:
        return _v2(order_id)

    @app.get("/orders/{order_id}", summary="by header")
    def get_by_header(order_id: int, api_version: str = Header("2")) -> Any:
        if api_version == "1":
            return JSONResponse(_v1(order_id), headers={"API-Version": "1"})
        if api_version == "2":
            return JSONResponse(_v2(order_id), headers={"API-Version": "2"})
        if buggy:
            return PlainTextResponse("error", status_code=500)
        raise HTTPException(400, f"unknown API-Version {api_version!r}; supported: 1, 2")

    @app.get("/{version}/orders/{order_id}", include_in_schema=False)
    def unknown_version(version: str, order_id: int, request: Request) -> Response:
        if buggy:
            return PlainTextResponse("", status_code=500)
        return JSONResponse(
            {"detail": f"unknown API version {version!r}; supported versions: v1, v2"},
            status_code=404,
        )

    return app
