"""A small catalog API the sink tests create through: products (Location), stock (PUT)."""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, HTTPException, Response
from pydantic import BaseModel, ConfigDict, Field

Sku = Annotated[str, Field(pattern=r"^[A-Z0-9][A-Z0-9-]{0,30}$")]


class NewProduct(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: Sku
    name: str = Field(min_length=1, max_length=80)
    price: int = Field(ge=0, le=10**9)
    currency: str = Field(pattern=r"^[A-Z]{3}$")


class Product(NewProduct):
    pass


class StockCount(BaseModel):
    on_hand: int = Field(ge=0)


class NewTag(BaseModel):
    label: str = Field(min_length=1, max_length=20)


class Tag(NewTag):
    id: int


def make_app() -> FastAPI:
    app = FastAPI()
    products: dict[str, Product] = {}
    stock: dict[tuple[str, str], int] = {}
    tags: dict[int, Tag] = {}

    @app.post(
        "/products",
        status_code=201,
        response_model=Product,
        operation_id="createProduct",
        responses={409: {"description": "The SKU exists."}},
    )
    def create_product(body: NewProduct, response: Response) -> Product:
        if body.sku in products:
            raise HTTPException(409, "duplicate sku")
        products[body.sku] = Product(**body.model_dump())
        response.headers["Location"] = f"/products/{body.sku}"
        return products[body.sku]

    @app.delete("/products/{sku}", status_code=204, operation_id="deleteProduct")
    def delete_product(sku: str) -> None:
        products.pop(sku, None)

    @app.put("/products/{sku}/stock/{warehouse}", status_code=204, operation_id="setStock")
    def set_stock(sku: str, warehouse: str, body: StockCount) -> None:
        if sku not in products:
            raise HTTPException(404, "no such product")
        stock[sku, warehouse] = body.on_hand

    @app.get(
        "/products/{sku}/stock/{warehouse}", response_model=StockCount, operation_id="getStock"
    )
    def get_stock(sku: str, warehouse: str) -> StockCount:
        return StockCount(on_hand=stock.get((sku, warehouse), 0))

    @app.post("/tags", status_code=201, response_model=Tag, operation_id="createTag")
    def create_tag(body: NewTag) -> Tag:
        tag = Tag(id=len(tags) + 1, label=body.label)
        tags[tag.id] = tag
        return tag

    @app.delete("/tags/{id}", status_code=204, operation_id="deleteTag")
    def delete_tag(id: int) -> None:
        tags.pop(id, None)

    return app
