"""Pydantic schemas of the allocation API (the same in v1 and v2)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

SKU_PATTERN = r"^[A-Z0-9][A-Z0-9-]{0,62}$"
REFERENCE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
ORDER_PATTERN = r"^[A-Za-z0-9_.:-]{1,100}$"

Sku = Annotated[str, Field(pattern=SKU_PATTERN, max_length=63, examples=["LAMP-1"])]
Reference = Annotated[str, Field(pattern=REFERENCE_PATTERN, max_length=64, examples=["b-001"])]
OrderId = Annotated[str, Field(pattern=ORDER_PATTERN, max_length=100, examples=["o-1"])]
Count = Annotated[int, Field(ge=0, le=10**9)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NewBatch(Strict):
    reference: Reference
    sku: Sku
    quantity: Count
    eta: date | None = Field(None, description="Arrival date; null means already in stock.")


class BatchQuantity(Strict):
    quantity: Count


class BatchLine(BaseModel):
    order_id: str
    quantity: int


class BatchOut(BaseModel):
    reference: str
    sku: str
    quantity: int = Field(description="Units purchased.")
    eta: date | None
    allocated: int
    available: int = Field(description="May be negative only transiently; never in a reply.")
    allocations: list[BatchLine]


class AllocationRequest(Strict):
    order_id: OrderId
    sku: Sku
    quantity: Annotated[int, Field(ge=1, le=10**6)]


class AllocationOut(BaseModel):
    order_id: str
    sku: str
    quantity: int
    batch_reference: str


class OrderAllocations(BaseModel):
    order_id: str
    lines: list[AllocationOut]
