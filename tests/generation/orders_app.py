"""A small, correct FastAPI service: every negative case must get a 4xx, every positive a 2xx.

It exercises what FastAPI and pydantic really do: lax parsing of query and path text,
extra properties ignored unless forbidden, sets that de-duplicate, discriminated unions,
forms, headers and exclusive bounds. Handlers never echo input back, so nothing the
generators send can make a correct service fail.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from fastapi import Cookie, FastAPI, Form, Header, Path, Query, UploadFile
from pydantic import BaseModel, ConfigDict, Field


class Line(BaseModel):
    sku: str = Field(pattern=r"^SKU-\d{4}$")
    qty: int = Field(ge=1, le=99)


class Customer(BaseModel):
    name: str = Field(min_length=1, max_length=40)
    country: str = Field(min_length=2, max_length=2)


class Card(BaseModel):
    kind: Literal["card"]
    last4: str = Field(pattern=r"^\d{4}$")


class Voucher(BaseModel):
    kind: Literal["voucher"]
    code: str = Field(min_length=4, max_length=12)


class Order(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lines: list[Line] = Field(min_length=1, max_length=5)
    customer: Customer
    currency: Literal["EUR", "USD"]
    payment: Annotated[Card | Voucher, Field(discriminator="kind")]
    note: str | None = Field(default=None, max_length=100)
    delivery: date | None = None
    priority: bool = False
    ratio: float = Field(default=0.5, gt=0, lt=1)
    tags: set[str] = Field(default_factory=set, max_length=4)
    reference: UUID | None = None


class Profile(BaseModel):
    nickname: str = Field(min_length=2, max_length=20)
    age: int | None = Field(default=None, ge=0, le=150)


def create_app() -> FastAPI:
    app = FastAPI(title="orders", version="1")

    @app.post("/orders", status_code=201)
    def create_order(
        order: Order,
        dry: bool = False,
        x_request_id: Annotated[UUID | None, Header()] = None,
    ) -> dict[str, bool]:
        return {"created": True}

    @app.get("/orders/{order_id}")
    def read_order(
        order_id: Annotated[int, Path(ge=1)],
        expand: Literal["lines", "customer"] | None = None,
        limit: Annotated[int, Query(ge=1, le=50)] = 10,
        tags: Annotated[list[str] | None, Query(max_length=3)] = None,
    ) -> dict[str, int]:
        return {"id": order_id}

    @app.get("/search")
    def search(
        q: Annotated[str, Query(min_length=2, max_length=20)],
        since: datetime | None = None,
        page: Annotated[int, Query(gt=0)] = 1,
        exact: bool = False,
    ) -> dict[str, int]:
        return {"page": page}

    @app.put("/profiles/{handle}")
    def put_profile(
        handle: Annotated[str, Path(min_length=3, max_length=15, pattern="^[a-z0-9_]+$")],
        profile: Profile,
    ) -> dict[str, bool]:
        return {"saved": True}

    @app.post("/signup")
    def signup(
        username: Annotated[str, Form(min_length=3, max_length=20)],
        age: Annotated[int, Form(ge=13, le=120)],
        newsletter: Annotated[bool, Form()] = False,
    ) -> dict[str, bool]:
        return {"ok": True}

    @app.post("/uploads")
    def upload(
        file: UploadFile,
        title: Annotated[str, Form(max_length=30)],
        copies: Annotated[int, Form(ge=1)] = 1,
    ) -> dict[str, bool]:
        return {"ok": True}

    @app.get("/batches")
    def batches(
        session: Annotated[int, Cookie(ge=1)],
        ids: Annotated[list[int], Query(min_length=1)],
        mode: Annotated[str, Header(pattern="^(fast|safe)$")] = "safe",
    ) -> dict[str, bool]:
        return {"ok": True}

    return app
