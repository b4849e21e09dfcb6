"""Pydantic models the builder tests build: customers with addresses, orders with lines."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field, field_validator

Sku = Annotated[str, Field(pattern=r"^[A-Z0-9][A-Z0-9-]{0,62}$", max_length=63)]


class Address(BaseModel):
    street: str = Field(min_length=1, max_length=200)
    city: str = Field(min_length=1, max_length=100)
    postcode: str = Field(min_length=3, max_length=12)
    country_code: str = Field(pattern=r"^[A-Z]{2}$")


class Customer(BaseModel):
    id: UUID
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    email: str = Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")
    phone: str | None = None
    birthday: date | None = None
    address: Address


class OrderLine(BaseModel):
    sku: Sku
    quantity: int = Field(ge=1, le=1000)
    unit_price: int = Field(ge=0, le=10**9)


class Status(StrEnum):
    pending = "pending"
    paid = "paid"
    refunded = "refunded"


class Order(BaseModel):
    id: UUID
    customer: Customer
    lines: list[OrderLine] = Field(min_length=1, max_length=20)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    status: Status = Status.pending
    placed_at: datetime
    total: int = Field(default=0, ge=0)
    refunded_at: datetime | None = None


class Card(BaseModel):
    kind: Literal["card"]
    last4: str = Field(pattern=r"^\d{4}$")


class Transfer(BaseModel):
    kind: Literal["transfer"]
    iban: str = Field(min_length=15, max_length=34)


class Payment(BaseModel):
    amount_minor: int = Field(ge=1, le=10**12)
    method: Card | Transfer = Field(discriminator="kind")
    tags: list[Annotated[str, Field(min_length=1, max_length=10)]] = Field(
        default_factory=list, max_length=3
    )


class EvenOnly(BaseModel):
    """A validator asks for more than the JSON Schema says."""

    number: int = Field(ge=0, le=10)

    @field_validator("number")
    @classmethod
    def _even(cls, value: int) -> int:
        if value % 2:
            raise ValueError("must be even")
        return value
