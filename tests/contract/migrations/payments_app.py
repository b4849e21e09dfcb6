"""A small payments API on the migrated schema (revision 0002 of the throwaway scripts):
it reads the rows as they are and documents amounts as non-negative integers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field


class Payment(BaseModel):
    id: str
    customer: str
    amount_minor: int = Field(ge=0)
    currency: str
    status: str


class Problem(BaseModel):
    detail: str


_COLUMNS = "id, customer, amount_minor, currency, status"


def make_app(database_url: str) -> FastAPI:
    """The app on `database_url`; the documented schema is `Payment`, but answers are the
    rows as read (so a NULL the migration left shows)."""
    engine = sa.create_engine(database_url)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = FastAPI(title="payments", version="2", lifespan=lifespan)

    @app.get("/payments", responses={200: {"model": list[Payment]}})
    def list_payments() -> JSONResponse:
        with engine.connect() as connection:
            rows = connection.execute(sa.text(f"SELECT {_COLUMNS} FROM payments ORDER BY id"))
            return JSONResponse([dict(row) for row in rows.mappings()])

    @app.get(
        "/payments/{payment_id}",
        responses={200: {"model": Payment}, 404: {"model": Problem}},
    )
    def get_payment(payment_id: str) -> JSONResponse:
        query = sa.text(f"SELECT {_COLUMNS} FROM payments WHERE id = :id")
        with engine.connect() as connection:
            row: Any = connection.execute(query, {"id": payment_id}).mappings().first()
        if row is None:
            return JSONResponse({"detail": "no such payment"}, status_code=404)
        return JSONResponse(dict(row))

    return app
