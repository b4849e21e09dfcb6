"""Request and response models of the orders API (v1 flat money, v2 money objects)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

MAX_LINES = 100
Sku = Annotated[
    str,
    Field(
        min_length=1, max_length=63, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", examples=["LAMP-1"]
    ),
]
MethodToken = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        pattern=r"^tok_[a-z0-9_]+$",
        description="Payment method token (test tokens: tok_visa, tok_declined, …).",
        examples=["tok_visa", "tok_declined"],
    ),
]


class OrderLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: Sku
    qty: int = Field(ge=1, le=1000, description="Units of the SKU.", examples=[2])


class PlaceOrderIn(BaseModel):
    """An order for the signed-in customer; each SKU at most once."""

    model_config = ConfigDict(extra="forbid")

    lines: list[OrderLineIn] = Field(min_length=1, max_length=MAX_LINES)
    payment_method: MethodToken = "tok_visa"


class OrderStatusOut(StrEnum):
    pending = "pending"
    confirmed = "confirmed"
    compensating = "compensating"
    failed = "failed"
    cancelled = "cancelled"


class SagaStepOut(BaseModel):
    step: str = Field(description="reserve, allocate, charge or confirm.")
    target: str | None = Field(description="The SKU of an allocation step.")
    state: str = Field(description="done, failed or compensated.")
    detail: str | None = Field(
        default=None, description="Why a step failed, or why its undo was refused."
    )
    at: datetime


class Money(BaseModel):
    amount: int = Field(description="Integer minor units.", examples=[1299])
    currency: str = Field(examples=["EUR"])


class OrderLineV1(BaseModel):
    sku: str
    qty: int
    unit_price_minor: int
    total_minor: int


class OrderLineV2(BaseModel):
    sku: str
    qty: int
    unit_price: Money
    total: Money


class _OrderCommon(BaseModel):
    id: str
    customer: str
    status: OrderStatusOut
    failure: str | None = Field(description="Why the order failed (a problem type slug).")
    payment_id: str | None
    steps: list[SagaStepOut] = Field(description="The saga log: what was done and undone.")
    created_at: datetime
    updated_at: datetime


class OrderV1(_OrderCommon):
    currency: str
    total_minor: int
    lines: list[OrderLineV1]


class OrderV2(_OrderCommon):
    total: Money
    lines: list[OrderLineV2]


def order_v1(snapshot: dict[str, Any]) -> OrderV1:
    return OrderV1.model_validate(snapshot)


def order_v2(snapshot: dict[str, Any]) -> OrderV2:
    currency = snapshot["currency"]

    def money(amount: int) -> dict[str, Any]:
        return {"amount": amount, "currency": currency}

    lines = [
        {
            "sku": line["sku"],
            "qty": line["qty"],
            "unit_price": money(line["unit_price_minor"]),
            "total": money(line["total_minor"]),
        }
        for line in snapshot["lines"]
    ]
    return OrderV2.model_validate(
        {**snapshot, "total": money(snapshot["total_minor"]), "lines": lines}
    )
