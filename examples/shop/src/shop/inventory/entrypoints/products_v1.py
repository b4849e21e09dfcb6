"""``/v1/products``: the catalogue with money as ``price`` + ``currency`` fields."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from shop.identity import AUTH_RESPONSES, Principal, require_scopes
from shop.inventory.domain.products import Product
from shop.inventory.entrypoints import products, representations, schemas
from shop.inventory.entrypoints.runtime import ETAG_HEADER, LOCATION_HEADER, InventoryRuntime
from shop.inventory.service_layer import commands
from shop.platform.pagination import Page
from shop.platform.problems import problem_responses

SkuPath = Annotated[str, Path(max_length=63, description="The product's SKU.")]
Reader = Annotated[Principal, require_scopes("inventory:read")]
Writer = Annotated[Principal, require_scopes("inventory:write")]
render = representations.product_v1


def build_products_v1(runtime: InventoryRuntime) -> APIRouter:
    router = APIRouter(prefix="/v1/products", tags=["inventory"])
    _reads(router, runtime)
    _writes(router, runtime)
    return router


def _reads(router: APIRouter, runtime: InventoryRuntime) -> None:
    @router.get(
        "",
        operation_id="list_products",
        summary="List products",
        response_model=Page[schemas.ProductV1],
        responses={**AUTH_RESPONSES, **problem_responses(400, 422)},
    )
    def list_products(_: Reader, query: products.Listing) -> Page[schemas.ProductV1]:
        """Products with their stock, filtered and sorted; follow `next_cursor` for more."""
        items, next_cursor = products.page_of(runtime, query, render)
        return Page(items=items, next_cursor=next_cursor)

    @router.get(
        "/{sku}",
        operation_id="get_product",
        summary="Get a product",
        response_model=schemas.ProductV1,
        responses={200: {"headers": ETAG_HEADER}, **AUTH_RESPONSES, **problem_responses(404, 422)},
    )
    def get_product(_: Reader, sku: SkuPath, response: Response) -> schemas.ProductV1:
        """The product with its stock per warehouse; `ETag` for conditional updates."""
        model, etag = products.current(runtime, sku, render)
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
        operation_id="create_product",
        summary="Create a product",
        status_code=status.HTTP_201_CREATED,
        response_model=schemas.ProductV1,
        responses={
            201: {"headers": {**ETAG_HEADER, **LOCATION_HEADER}},
            **AUTH_RESPONSES,
            **problem_responses(409, 422),
        },
    )
    def create_product(
        _: Writer, body: schemas.NewProductV1, response: Response
    ) -> schemas.ProductV1:
        """Add a product to the catalogue (no stock yet)."""
        price = products.money(body.price, body.currency)
        cmd = commands.CreateProduct(body.sku, body.name, price, dict(body.attributes))
        model, etag = products.create(runtime, cmd, render)
        response.headers.update({"ETag": etag, "Location": f"/v1/products/{body.sku}"})
        return model


def _replace(router: APIRouter, runtime: InventoryRuntime) -> None:
    @router.put(
        "/{sku}",
        operation_id="replace_product",
        summary="Replace a product",
        response_model=schemas.ProductV1,
        responses={200: {"headers": ETAG_HEADER}, **AUTH_RESPONSES, **CONDITIONAL},
    )
    def replace_product(
        _: Writer,
        sku: SkuPath,
        body: schemas.ProductReplacementV1,
        response: Response,
        if_match: products.IfMatch = None,
    ) -> schemas.ProductV1:
        """Replace name, price and attributes; needs `If-Match` with the current ETag."""
        price = products.money(body.price, body.currency)
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
        operation_id="update_product",
        summary="Change some fields of a product",
        response_model=schemas.ProductV1,
        responses={200: {"headers": ETAG_HEADER}, **AUTH_RESPONSES, **CONDITIONAL},
    )
    def update_product(
        _: Writer,
        sku: SkuPath,
        body: schemas.ProductPatchV1,
        response: Response,
        if_match: products.IfMatch = None,
    ) -> schemas.ProductV1:
        """Change the given fields; a `price` alone keeps the currency, a `currency` alone
        keeps the amount. Needs `If-Match` with the current ETag."""

        def change(current: Product) -> commands.ReviseProduct:
            price = None
            if body.price is not None or body.currency is not None:
                amount = current.price.amount if body.price is None else body.price
                currency = body.currency or current.price.currency
                price = products.money(amount, currency)
            return commands.ReviseProduct(sku, current.version, body.name, price, body.attributes)

        model, etag = products.conditional_update(runtime, sku, if_match, render, change)
        response.headers["ETag"] = etag
        return model
