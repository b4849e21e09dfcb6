"""The benchmark target: a small, correct catalogue service that counts its requests.

Six operations with constrained parameters and bodies, so generators have work to do.
``GET /__requests`` (not in the spec) reports the count; when ``CATALOG_REPORT`` names a
file, the count is written there at exit (for in-process runs).
"""

from __future__ import annotations

import atexit
import os
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Query, Request, Response
from pydantic import BaseModel, Field

counter = {"requests": 0}
app = FastAPI(title="Catalog", version="1.0.0")


class ProductIn(BaseModel):
    sku: str = Field(pattern=r"^[A-Z]{3}-[0-9]{3}$")
    name: str = Field(min_length=1, max_length=80)
    price: int = Field(ge=0, le=1_000_000)
    tags: list[str] = Field(default_factory=list, max_length=5)


class Product(ProductIn):
    id: int


PRODUCTS: dict[int, Product] = {}
NOT_FOUND = {404: {"description": "No such product."}}


@app.middleware("http")
async def count(request: Request, call_next: Any) -> Response:
    if request.url.path != "/__requests":
        counter["requests"] += 1
    response: Response = await call_next(request)
    return response


@app.get("/__requests", include_in_schema=False)
def requests_seen() -> dict[str, int]:
    return {"requests": counter["requests"]}


@app.get("/products", operation_id="listProducts", summary="List products")
def list_products(
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    min_price: Annotated[int | None, Query(ge=0)] = None,
    tag: Annotated[str | None, Query(max_length=20)] = None,
) -> list[Product]:
    found = [p for p in PRODUCTS.values() if min_price is None or p.price >= min_price]
    return [p for p in found if tag is None or tag in p.tags][:limit]


@app.post("/products", operation_id="createProduct", summary="Create a product", status_code=201)
def create_product(body: ProductIn) -> Product:
    product = Product(id=len(PRODUCTS) + 1, **body.model_dump())
    PRODUCTS[product.id] = product
    return product


@app.get("/products/{product_id}", operation_id="getProduct", summary="Read", responses=NOT_FOUND)
def get_product(product_id: int) -> Product:
    if product_id not in PRODUCTS:
        raise HTTPException(404, "no such product")
    return PRODUCTS[product_id]


@app.put(
    "/products/{product_id}", operation_id="putProduct", summary="Replace", responses=NOT_FOUND
)
def put_product(product_id: int, body: ProductIn) -> Product:
    if product_id not in PRODUCTS:
        raise HTTPException(404, "no such product")
    PRODUCTS[product_id] = Product(id=product_id, **body.model_dump())
    return PRODUCTS[product_id]


@app.delete(
    "/products/{product_id}",
    operation_id="deleteProduct",
    summary="Delete",
    status_code=204,
    responses=NOT_FOUND,
)
def delete_product(product_id: int) -> None:
    if PRODUCTS.pop(product_id, None) is None:
        raise HTTPException(404, "no such product")


@app.get("/search", operation_id="search", summary="Search by name")
def search(q: Annotated[str, Query(min_length=2, max_length=50)]) -> list[Product]:
    return [p for p in PRODUCTS.values() if q.lower() in p.name.lower()]


@atexit.register
def _report() -> None:
    target = os.environ.get("CATALOG_REPORT")
    if target:
        with open(target, "w", encoding="utf-8") as handle:
            handle.write(str(counter["requests"]))
