"""Pydantic models a shop's tests build: a customer with an address, an order with lines, a payment.

Plain pydantic v2 (no assay import), so the same module is imported by assay's builders
and by polyfactory in benchmarks/builders_speed.py.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, Field

Sku = Annotated[str, Field(pattern=r"^[A-Z0-9][A-Z0-9-]{0,62}$", max_length=63)]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]


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
    unit_price: int = Field(ge=0, le=10**9, description="Minor units.")


class Order(BaseModel):
    id: UUID
    customer: Customer
    lines: list[OrderLine] = Field(min_length=1, max_length=20)
    currency: Currency
    placed_at: datetime
    note: str | None = Field(default=None, max_length=500)


class PaymentStatus(StrEnum):
    pending = "pending"
    authorized = "authorized"
    captured = "captured"
    refunded = "refunded"


class Payment(BaseModel):
    id: UUID
    order_id: UUID
    amount_minor: int = Field(ge=1, le=10**12)
    currency: Currency
    status: PaymentStatus
    created_at: datetime


MODELS = (Customer, Order, Payment)
