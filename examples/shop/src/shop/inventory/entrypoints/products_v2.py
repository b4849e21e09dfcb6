"""``/v2/products``: the catalogue with money as ``price`` + ``currency`` fields."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response, status
from fastapi.responses import JSONResponse

from shop.identity import AUTH_RESPONSES, Principal, require_scopes
from shop.inventory.entrypoints import products, representations, schemas
from shop.inventory.entrypoints.runtime import ETAG_HEADER, LOCATION_HEADER, InventoryRuntime
from shop.inventory.service_layer import commands, defects
from shop.platform.pagination import Page
from shop.platform.problems import problem_responses

SkuPath = Annotated[str, Path(max_length=63, description="The product's SKU.")]
Reader = Annotated[Principal, require_scopes("inventory:read")]
Writer = Annotated[Principal, require_scopes("inventory:write")]
render = representations.product_v2


def build_products_v2(runtime: InventoryRuntime) -> APIRouter:
    router = APIRouter(prefix="/v2/products", tags=["inventory"])
    _reads(router, runtime)
    _writes(router, runtime)
    return router


def _reads(router: APIRouter, runtime: InventoryRuntime) -> None:
    @router.get(
        "",
        operation_id="list_products_v2",
        summary="List products",
        response_model=Page[schemas.ProductV2],
        responses={**AUTH_RESPONSES, **problem_responses(400, 422)},
    )
    def list_products(_: Reader, query: products.Listing) -> Page[schemas.ProductV2]:
        """Products with their stock, filtered and sorted; follow `next_cursor` for more."""
        items, next_cursor = products.page_of(runtime, query, render)
        return Page(items=items, next_cursor=next_cursor)

    @router.get(
        "/{sku}",
        operation_id="get_product_v2",
        summary="Get a product",
        response_model=schemas.ProductV2,
        responses={200: {"headers": ETAG_HEADER}, **AUTH_RESPONSES, **problem_responses(404, 422)},
    )
    def get_product(_: Reader, sku: SkuPath, response: Response) -> Response | schemas.ProductV2:
        """The product with its stock per warehouse; `ETag` for conditional updates."""
        model, etag = products.current(runtime, sku, render)
        if runtime.env.defects.on(defects.FLOAT_MONEY):  # DEFECT: inventory-v2-float-money
            body = model.model_dump(mode="json")
            body["price"]["amount"] = model.price.amount / 100
            return JSONResponse(body, headers={"ETag": etag})
        response.headers["ETag"] = etag
        return model


CONDITIONAL = problem_responses(404, 412, 422, 428)


def _writes(router: APIRouter, runtime: InventoryRuntime) -> None:
    _create(router, runtime)
    _replace(router, runtime)
    _update(router, runtime)


def _create(router: APIRouter, runtime: InventoryRuntime) -> None:
    @router.post(
        "",
        operation_id="create_product_v2",
        summary="Create a product",
        status_code=status.HTTP_201_CREATED,
        response_model=schemas.ProductV2,
        responses={
            201: {"headers": {**ETAG_HEADER, **LOCATION_HEADER}},
            **AUTH_RESPONSES,
            **problem_responses(409, 422),
        },
    )
    def create_product(
        _: Writer, body: schemas.NewProductV2, response: Response
    ) -> schemas.ProductV2:
        """Add a product to the catalogue (no stock yet)."""
        price = products.money(body.price.amount, body.price.currency)
        cmd = commands.CreateProduct(body.sku, body.name, price, dict(body.attributes))
        model, etag = products.create(runtime, cmd, render)
        response.headers.update({"ETag": etag, "Location": f"/v2/products/{body.sku}"})
        return model


def _replace(router: APIRouter, runtime: InventoryRuntime) -> None:
    @router.put(
        "/{sku}",
        operation_id="replace_product_v2",
        summary="Replace a product",
        response_model=schemas.ProductV2,
        responses={200: {"headers": ETAG_HEADER}, **AUTH_RESPONSES, **CONDITIONAL},
    )
    def replace_product(
        _: Writer,
        sku: SkuPath,
        body: schemas.ProductReplacementV2,
        response: Response,
        if_match: products.IfMatch = None,
    ) -> schemas.ProductV2:
        """Replace name, price and attributes; needs `If-Match` with the current ETag."""
        price = products.money(body.price.amount, body.price.currency)
        model, etag = products.conditional_update(
            runtime,
            sku,
            if_match,
            render,
            lambda p: commands.ReviseProduct(
                sku, p.version, body.name, price, dict(body.attributes)
            ),
        )
        response.headers["ETag"] = etag
        return model


def _update(router: APIRouter, runtime: InventoryRuntime) -> None:
    @router.patch(
        "/{sku}",
        operation_id="update_product_v2",
        summary="Change some fields of a product",
        response_model=schemas.ProductV2,
        responses={200: {"headers": ETAG_HEADER}, **AUTH_RESPONSES, **CONDITIONAL},
    )
    def update_product(
        _: Writer,
        sku: SkuPath,
        body: schemas.ProductPatchV2,
        response: Response,
        if_match: products.IfMatch = None,
    ) -> schemas.ProductV2:
        """Change the given fields; needs `If-Match` with the current ETag."""
        price = None
        if body.price is not None:
            price = products.money(body.price.amount, body.price.currency)
        model, etag = products.conditional_update(
            runtime,
            sku,
            if_match,
            render,
            lambda p: commands.ReviseProduct(sku, p.version, body.name, price, body.attributes),
        )
        response.headers["ETag"] = etag
        return model
