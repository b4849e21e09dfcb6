"""Pydantic schemas of the inventory API; v1 and v2 differ only in how money looks.

v1: ``"price": 1299, "currency": "EUR"``; v2: ``"price": {"amount": 1299, "currency": "EUR"}``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from shop.inventory.domain.products import SKU_PATTERN
from shop.inventory.domain.reservations import ReservationStatus
from shop.inventory.domain.stock import WAREHOUSE_PATTERN

Sku = Annotated[str, Field(pattern=SKU_PATTERN, min_length=1, max_length=63, examples=["LAMP-1"])]
Warehouse = Annotated[
    str, Field(pattern=WAREHOUSE_PATTERN, min_length=1, max_length=32, examples=["east"])
]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", examples=["EUR"])]
Amount = Annotated[int, Field(ge=0, le=10**12, description="Minor units (cents).", examples=[1299])]
Name = Annotated[str, Field(min_length=1, max_length=200, pattern=r"\S")]
Attributes = Annotated[
    dict[Annotated[str, Field(min_length=1, max_length=50)], Annotated[str, Field(max_length=200)]],
    Field(max_length=50, description="Free-form string attributes (colour, size…)."),
]
Count = Annotated[int, Field(ge=0, le=10**9)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WarehouseStock(BaseModel):
    """Units of a product in one warehouse."""

    warehouse: str
    on_hand: Count
    reserved: Count
    available: Count


class MoneyV2(Strict):
    """An amount in minor units of a currency."""

    amount: Amount
    currency: Currency


class ProductV1(BaseModel):
    sku: str
    name: str
    price: Amount
    currency: Currency
    attributes: dict[str, str]
    stock: list[WarehouseStock]


class ProductV2(BaseModel):
    sku: str
    name: str
    price: MoneyV2
    attributes: dict[str, str]
    stock: list[WarehouseStock]


class NewProductV1(Strict):
    sku: Sku
    name: Name
    price: Amount
    currency: Currency
    attributes: Attributes = {}


class NewProductV2(Strict):
    sku: Sku
    name: Name
    price: MoneyV2
    attributes: Attributes = {}


class ProductReplacementV1(Strict):
    name: Name
    price: Amount
    currency: Currency
    attributes: Attributes = {}


class ProductReplacementV2(Strict):
    name: Name
    price: MoneyV2
    attributes: Attributes = {}


class ProductPatchV1(Strict):
    """Fields to change; absent fields stay (``price`` alone keeps the currency)."""

    name: Name | None = None
    price: Amount | None = None
    currency: Currency | None = None
    attributes: Attributes | None = None


class ProductPatchV2(Strict):
    name: Name | None = None
    price: MoneyV2 | None = None
    attributes: Attributes | None = None


class StockCount(Strict):
    on_hand: Count


class StockRow(Strict):
    sku: Sku
    warehouse: Warehouse
    quantity: Count


class StockImport(Strict):
    rows: list[StockRow] = Field(description="At most 10,000 rows; more answer 413.")


class ImportResult(BaseModel):
    imported: int = Field(description="Rows imported.")


class StockLevelOut(BaseModel):
    sku: str
    warehouse: str
    on_hand: Count
    reserved: Count
    available: Count


class StockExport(BaseModel):
    items: list[StockLevelOut]


class LineIn(Strict):
    sku: Sku
    quantity: Annotated[int, Field(ge=1, le=10**6)]


class ReservationRequest(Strict):
    order_id: Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:-]+$")]
    lines: Annotated[list[LineIn], Field(min_length=1, max_length=100)]
    ttl_seconds: Annotated[int, Field(ge=1, le=86_400)] = 900


class LineOut(BaseModel):
    sku: str
    quantity: int


class ReservationOut(BaseModel):
    id: str
    order_id: str
    status: ReservationStatus
    created_at: datetime
    expires_at: datetime
    lines: list[LineOut]


class PriceOut(BaseModel):
    sku: str
    amount: int
    currency: str
