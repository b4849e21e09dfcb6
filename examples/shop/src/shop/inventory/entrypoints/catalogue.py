"""``/v1/products`` and ``/v2/products``: the catalogue, one router per API version.

The versions differ only in how money is represented (v1: flat ``price`` + ``currency``
fields; v2: a ``price`` object ``{"amount": 1299, "currency": "EUR"}``), so one factory
builds both from a `Representation`: its models, renderer and reading of request money.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Path, Response, status
from fastapi.responses import JSONResponse

from shop.identity import AUTH_RESPONSES, Principal, require_scopes
from shop.inventory.domain.money import Money
from shop.inventory.domain.products import Product
from shop.inventory.entrypoints import products, representations, schemas
from shop.inventory.entrypoints.runtime import ETAG_HEADER, LOCATION_HEADER, InventoryRuntime
from shop.inventory.service_layer import commands, defects
from shop.inventory.service_layer.views import ProductView
from shop.platform.pagination import Page
from shop.platform.problems import problem_responses
from shop.platform.signatures import typed

SkuPath = Annotated[str, Path(max_length=63, description="The product's SKU.")]
Reader = Annotated[Principal, require_scopes("inventory:read")]
Writer = Annotated[Principal, require_scopes("inventory:write")]
CONDITIONAL = problem_responses(404, 412, 422, 428)
PatchedPrice = Callable[[Money], Money | None]
"""The new price of a patch, given the current one (``None``: unchanged)."""


@dataclass(frozen=True, slots=True)
class Representation:
    """One API version: operation ids, models, renderer and how bodies carry money."""

    version: str
    operation_suffix: str
    product: type[Any]
    new_body: type[Any]
    replacement_body: type[Any]
    patch_body: type[Any]
    render: Callable[[ProductView], Any]
    price_of: Callable[[Any], Money]
    patched_price: Callable[[Any], PatchedPrice]
    patch_description: str
    float_money_defect: bool = False

    @property
    def prefix(self) -> str:
        return f"/{self.version}/products"

    def operation_id(self, name: str) -> str:
        return f"{name}{self.operation_suffix}"


def _patched_price_v1(body: schemas.ProductPatchV1) -> PatchedPrice:
    def price(current: Money) -> Money | None:
        if body.price is None and body.currency is None:
            return None
        amount = current.amount if body.price is None else body.price
        return products.money(amount, body.currency or current.currency)

    return price


def _patched_price_v2(body: schemas.ProductPatchV2) -> PatchedPrice:
    price = None if body.price is None else products.money(body.price.amount, body.price.currency)
    return lambda _current: price


V1 = Representation(
    "v1",
    "",
    schemas.ProductV1,
    schemas.NewProductV1,
    schemas.ProductReplacementV1,
    schemas.ProductPatchV1,
    representations.product_v1,
    price_of=lambda body: products.money(body.price, body.currency),
    patched_price=_patched_price_v1,
    patch_description="Change the given fields; a `price` alone keeps the currency, a "
    "`currency` alone\nkeeps the amount. Needs `If-Match` with the current ETag.",
)
V2 = Representation(
    "v2",
    "_v2",
    schemas.ProductV2,
    schemas.NewProductV2,
    schemas.ProductReplacementV2,
    schemas.ProductPatchV2,
    representations.product_v2,
    price_of=lambda body: products.money(body.price.amount, body.price.currency),
    patched_price=_patched_price_v2,
    patch_description="Change the given fields; needs `If-Match` with the current ETag.",
    float_money_defect=True,
)


def build_catalogue_router(runtime: InventoryRuntime, rep: Representation) -> APIRouter:
    """The product operations of one API version."""
    router = APIRouter(prefix=rep.prefix, tags=["inventory"])
    for add in (_list, _get, _create, _replace, _update):
        add(router, runtime, rep)
    return router


def _list(router: APIRouter, runtime: InventoryRuntime, rep: Representation) -> None:
    page = Page[rep.product]  # type: ignore[name-defined]

    @router.get(
        "",
        operation_id=rep.operation_id("list_products"),
        summary="List products",
        response_model=page,
        responses={**AUTH_RESPONSES, **problem_responses(400, 422)},
    )
    def list_products(_: Reader, query: products.Listing) -> Any:
        """Products with their stock, filtered and sorted; follow `next_cursor` for more."""
        items, next_cursor = products.page_of(runtime, query, rep.render)
        return page(items=items, next_cursor=next_cursor)


def _get(router: APIRouter, runtime: InventoryRuntime, rep: Representation) -> None:
    @router.get(
        "/{sku}",
        operation_id=rep.operation_id("get_product"),
        summary="Get a product",
        response_model=rep.product,
        responses={200: {"headers": ETAG_HEADER}, **AUTH_RESPONSES, **problem_responses(404, 422)},
    )
    def get_product(_: Reader, sku: SkuPath, response: Response) -> Any:
        """The product with its stock per warehouse; `ETag` for conditional updates."""
        model, etag = products.current(runtime, sku, rep.render)
        if rep.float_money_defect and runtime.env.defects.on(defects.FLOAT_MONEY):
            # DEFECT: inventory-v2-float-money
            body = model.model_dump(mode="json")
            body["price"]["amount"] = model.price.amount / 100
            return JSONResponse(body, headers={"ETag": etag})
        response.headers["ETag"] = etag
        return model


def _create(router: APIRouter, runtime: InventoryRuntime, rep: Representation) -> None:
    def create_product(_: Writer, body: Any, response: Response) -> Any:
        """Add a product to the catalogue (no stock yet)."""
        price = rep.price_of(body)
        cmd = commands.CreateProduct(body.sku, body.name, price, dict(body.attributes))
        model, etag = products.create(runtime, cmd, rep.render)
        response.headers.update({"ETag": etag, "Location": f"{rep.prefix}/{body.sku}"})
        return model

    router.post(
        "",
        operation_id=rep.operation_id("create_product"),
        summary="Create a product",
        status_code=status.HTTP_201_CREATED,
        response_model=rep.product,
        responses={
            201: {"headers": {**ETAG_HEADER, **LOCATION_HEADER}},
            **AUTH_RESPONSES,
            **problem_responses(409, 422),
        },
    )(typed(create_product, body=rep.new_body))


def _replace(router: APIRouter, runtime: InventoryRuntime, rep: Representation) -> None:
    def replace_product(
        _: Writer, sku: SkuPath, body: Any, response: Response, if_match: products.IfMatch = None
    ) -> Any:
        """Replace name, price and attributes; needs `If-Match` with the current ETag."""
        price = rep.price_of(body)

        def change(current: Product) -> commands.ReviseProduct:
            attributes = dict(body.attributes)
            return commands.ReviseProduct(sku, current.version, body.name, price, attributes)

        model, etag = products.conditional_update(runtime, sku, if_match, rep.render, change)
        response.headers["ETag"] = etag
        return model

    router.put(
        "/{sku}",
        operation_id=rep.operation_id("replace_product"),
        summary="Replace a product",
        response_model=rep.product,
        responses={200: {"headers": ETAG_HEADER}, **AUTH_RESPONSES, **CONDITIONAL},
    )(typed(replace_product, body=rep.replacement_body))


def _update(router: APIRouter, runtime: InventoryRuntime, rep: Representation) -> None:
    def update_product(
        _: Writer, sku: SkuPath, body: Any, response: Response, if_match: products.IfMatch = None
    ) -> Any:
        patched = rep.patched_price(body)

        def change(current: Product) -> commands.ReviseProduct:
            price = patched(current.price)
            return commands.ReviseProduct(sku, current.version, body.name, price, body.attributes)

        model, etag = products.conditional_update(runtime, sku, if_match, rep.render, change)
        response.headers["ETag"] = etag
        return model

    router.patch(
        "/{sku}",
        operation_id=rep.operation_id("update_product"),
        summary="Change some fields of a product",
        description=rep.patch_description,
        response_model=rep.product,
        responses={200: {"headers": ETAG_HEADER}, **AUTH_RESPONSES, **CONDITIONAL},
    )(typed(update_product, body=rep.patch_body))


def build_products_v1(runtime: InventoryRuntime) -> APIRouter:
    return build_catalogue_router(runtime, V1)


def build_products_v2(runtime: InventoryRuntime) -> APIRouter:
    return build_catalogue_router(runtime, V2)
