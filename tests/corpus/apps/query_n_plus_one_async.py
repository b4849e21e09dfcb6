"""Listing orders reads each order's lines with a statement of its own (N+1, async).

Orders and their lines live in SQLite through SQLAlchemy's async engine (aiosqlite),
opened in the app's lifespan. The defect reads a page of orders, then awaits one
``SELECT`` of lines per order; the fix reads the lines of the whole page in one
statement (``WHERE order_id IN (...)``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import FastAPI, HTTPException, Path, Query, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import ForeignKey, String, delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened
from tests.corpus.apps._scratch import scratch_database

DEFECT = ("n_plus_one_queries", "GET /orders")
_PAGE = {"name": "queries", "step": "page_sizes", "parameter": "limit", "small": 2, "large": 8}
_ORDER = {"customer": "ana", "lines": [{"sku": "LAMP-1", "quantity": 2}]}
PROBES = (
    *(Probe("POST /orders", body=_ORDER),) * 9,
    Probe("GET /orders", query={"limit": 8}, phase="queries", scenario=_PAGE),
)


class Base(DeclarativeBase):
    pass


class OrderRow(Base):
    __tablename__ = "orders"
    id: Mapped[int] = mapped_column(primary_key=True)
    customer: Mapped[str] = mapped_column(String(40))


class LineRow(Base):
    __tablename__ = "lines"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    sku: Mapped[str] = mapped_column(String(20))
    quantity: Mapped[int]


class Line(BaseModel):
    sku: str = Field(min_length=1, max_length=20)
    quantity: int = Field(ge=1, le=1000)


class OrderIn(BaseModel):
    customer: str = Field(min_length=1, max_length=40)
    lines: list[Line] = Field(min_length=1, max_length=5)


class Order(OrderIn):
    id: int


class Problem(BaseModel):
    detail: str


OrderId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Sessions = async_sessionmaker[AsyncSession]


def _shown(row: OrderRow, lines: Sequence[LineRow]) -> Order:
    shown = [Line(sku=line.sku, quantity=line.quantity) for line in lines]
    return Order(id=row.id, customer=row.customer, lines=shown)


async def _lines(session: AsyncSession, ids: list[int]) -> dict[int, list[LineRow]]:
    found: dict[int, list[LineRow]] = {order_id: [] for order_id in ids}
    query = select(LineRow).where(LineRow.order_id.in_(ids)).order_by(LineRow.id)
    for line in await session.scalars(query):
        found[line.order_id].append(line)
    return found


def _app(*, fixed: bool) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_async_engine(scratch_database(app, "sqlite+aiosqlite"))
        async with engine.begin() as connection:
            await connection.run_sync(Base.metadata.create_all)
        app.state.sessions = async_sessionmaker(engine, expire_on_commit=False)
        yield
        await engine.dispose()

    app = hardened(FastAPI(title="orders", lifespan=lifespan))
    missing = {404: {"model": Problem, "description": "No such order"}}

    def sessions(request: Request) -> Sessions:
        made: Sessions = request.app.state.sessions
        return made

    @app.post("/orders", status_code=201)
    async def place(body: OrderIn, request: Request) -> Order:
        async with sessions(request)() as session, session.begin():
            row = OrderRow(customer=body.customer)
            session.add(row)
            await session.flush()
            lines = [LineRow(order_id=row.id, **line.model_dump()) for line in body.lines]
            session.add_all(lines)
        return _shown(row, lines)

    @app.get("/orders")
    async def orders(
        request: Request, limit: Annotated[int, Query(ge=1, le=50)] = 10
    ) -> list[Order]:
        async with sessions(request)() as session:
            rows = list(await session.scalars(select(OrderRow).order_by(OrderRow.id).limit(limit)))
            if fixed:
                lines = await _lines(session, [row.id for row in rows])
            else:
                lines = {row.id: (await _lines(session, [row.id]))[row.id] for row in rows}
            return [_shown(row, lines[row.id]) for row in rows]

    @app.get("/orders/{order_id}", responses=missing)
    async def order(order_id: OrderId, request: Request) -> Order:
        async with sessions(request)() as session:
            row = await session.get(OrderRow, order_id)
            if row is None:
                raise HTTPException(404, "no such order")
            return _shown(row, (await _lines(session, [order_id]))[order_id])

    @app.delete("/orders/{order_id}", status_code=204, responses=missing)
    async def cancel(order_id: OrderId, request: Request) -> Response:
        async with sessions(request)() as session, session.begin():
            row = await session.get(OrderRow, order_id)
            if row is None:
                raise HTTPException(404, "no such order")
            await session.execute(delete(LineRow).where(LineRow.order_id == order_id))
            await session.delete(row)
        return Response(status_code=204)

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
