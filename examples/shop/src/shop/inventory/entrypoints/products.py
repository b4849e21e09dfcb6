"""Version-independent parts of the product endpoints: queries, paging, conditional updates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import Depends, Header, Query
from pydantic import BaseModel

from shop.inventory.domain.money import InvalidMoney, Money
from shop.inventory.domain.products import Product
from shop.inventory.entrypoints.runtime import InventoryRuntime, representation_etag
from shop.inventory.service_layer import commands, handlers, views
from shop.inventory.service_layer.unit_of_work import (
    PRODUCT_SORT_KEYS,
    ProductQuery,
    product_sort_key,
)
from shop.inventory.service_layer.views import ProductView
from shop.platform.concurrency import check_if_match
from shop.platform.pagination import Cursor, Limit, SortSpec, encode_cursor, sort_param
from shop.platform.problems import BadRequest, Unprocessable

Model = TypeVar("Model", bound=BaseModel)

ProductSort = sort_param(PRODUCT_SORT_KEYS, "sku", tiebreaker="sku")
IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description="The ETag the change is based on; required (428 without it, 412 when stale).",
    ),
]
NameFilter = Annotated[
    str | None, Query(alias="q", max_length=100, description="Name contains (case-insensitive).")
]
CurrencyFilter = Annotated[str | None, Query(pattern=r"^[A-Z]{3}$", description="Currency.")]
PriceFilter = Annotated[int | None, Query(ge=0, le=10**12, description="Minor units.")]


def product_listing(
    limit: Limit,
    cursor: Cursor,
    sort: Annotated[SortSpec, Depends(ProductSort)],
    *,
    q: NameFilter = None,
    currency: CurrencyFilter = None,
    min_price: PriceFilter = None,
    max_price: PriceFilter = None,
) -> ProductQuery:
    """The repository query of one page; one more row than shown tells if more follow."""
    if cursor is not None and len(cursor) != len(sort.fields):
        raise BadRequest(
            "The cursor belongs to another sort order.",
            slug="invalid-cursor",
            title="Invalid cursor",
        )
    return ProductQuery(
        limit=limit + 1,
        sort=sort,
        after=cursor,
        name_contains=q,
        currency=currency,
        min_price=min_price,
        max_price=max_price,
    )


Listing = Annotated[ProductQuery, Depends(product_listing)]


def page_of(
    runtime: InventoryRuntime,
    query: ProductQuery,
    render: Callable[[ProductView], Model],
) -> tuple[list[Model], str | None]:
    """Rendered items of the page and the next cursor (``None`` on the last page)."""
    found = views.product_page(runtime.uow(), query, runtime.env)
    shown = found[: query.limit - 1]
    more = len(found) > len(shown)
    cursor = encode_cursor(product_sort_key(shown[-1].product, query.sort)) if more else None
    return [render(view) for view in shown], cursor


def money(amount: int, currency: str) -> Money:
    try:
        return Money(amount, currency)
    except InvalidMoney as exc:
        raise Unprocessable(str(exc)) from exc


def current(
    runtime: InventoryRuntime, sku: str, render: Callable[[ProductView], Model]
) -> tuple[Model, str]:
    """The representation of product ``sku`` and its ETag (404 when unknown)."""
    model = render(views.product(runtime.uow(), sku, runtime.env.clock()))
    return model, representation_etag(model)


def conditional_update(
    runtime: InventoryRuntime,
    sku: str,
    if_match: str | None,
    render: Callable[[ProductView], Model],
    change: Callable[[Product], commands.ReviseProduct],
) -> tuple[Model, str]:
    """Apply ``change`` if ``If-Match`` names the current representation (428/412)."""
    view = views.product(runtime.uow(), sku, runtime.env.clock())
    check_if_match(if_match, representation_etag(render(view)), required=True)
    handlers.revise_product(change(view.product), runtime.uow())
    return current(runtime, sku, render)


def create(
    runtime: InventoryRuntime, cmd: commands.CreateProduct, render: Callable[[ProductView], Model]
) -> tuple[Model, str]:
    handlers.create_product(cmd, runtime.uow())
    return current(runtime, cmd.sku, render)
