"""A minimal service built on the platform, so platform tests need no real service."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column

from shop.platform.concurrency import check_if_match, etag_of
from shop.platform.database import Base
from shop.platform.events import Event, IdempotentConsumer, Message
from shop.platform.pagination import Cursor, Limit, Page, SortSpec, encode_cursor, sort_param
from shop.platform.problems import NotFound, problem_responses
from shop.platform.services import ServiceContext, ServiceModule
from shop.platform.unit_of_work import SqlUnitOfWork

TOPIC = "widgets.events"


class Widget(Base):
    __tablename__ = "test_widgets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    version: Mapped[int] = mapped_column(Integer, default=1)


class WidgetIn(BaseModel):
    name: str = Field(min_length=1, max_length=50)
    tags: list[str] = Field(default_factory=list, max_length=3)


class WidgetOut(BaseModel):
    id: int
    name: str


class WidgetOutV2(BaseModel):
    id: int
    name: str
    version: int


@dataclass(frozen=True)
class WidgetCreated(Event):
    widget_id: int


SORT = sort_param({"id", "name"}, default="id", tiebreaker="id")
COLUMNS = {"id": Widget.id, "name": Widget.name}


def _routes(ctx: ServiceContext, router: APIRouter, v2: bool) -> None:
    prefix = "/v2" if v2 else "/v1"
    out = WidgetOutV2 if v2 else WidgetOut

    @router.post(f"{prefix}/widgets", status_code=201, response_model=out)
    def create(body: WidgetIn) -> Any:
        with ctx.uow() as uow:
            widget = Widget(name=body.name)
            uow.session.add(widget)
            uow.session.flush()
            uow.emit(TOPIC, WidgetCreated(widget_id=widget.id))
            uow.commit()
            return out.model_validate(widget, from_attributes=True)

    @router.get(f"{prefix}/widgets", response_model=Page[out])  # type: ignore[valid-type]
    def listing(limit: Limit, cursor: Cursor, sort: Annotated[SortSpec, Depends(SORT)]) -> Any:
        with ctx.uow() as uow:
            query = select(Widget).order_by(*sort.order_by(COLUMNS))
            if cursor is not None:
                query = query.where(sort.after(COLUMNS, cursor))
            rows = uow.session.scalars(query.limit(limit + 1)).all()
        items = [out.model_validate(r, from_attributes=True) for r in rows[:limit]]
        more = len(rows) > limit
        return {
            "items": items,
            "next_cursor": encode_cursor(sort.key(rows[limit - 1])) if more else None,
        }

    @router.get(
        f"{prefix}/widgets/{{widget_id}}", response_model=out, responses=problem_responses(404)
    )
    def read(widget_id: int, response: Response) -> Any:
        with ctx.uow() as uow:
            widget = uow.session.get(Widget, widget_id)
            if widget is None:
                raise NotFound("widget", str(widget_id))
            response.headers["ETag"] = etag_of(widget.version)
            return out.model_validate(widget, from_attributes=True)

    @router.put(
        f"{prefix}/widgets/{{widget_id}}",
        response_model=out,
        responses=problem_responses(404, 412, 428),
    )
    def update(
        widget_id: int, body: WidgetIn, if_match: Annotated[str | None, Header()] = None
    ) -> Any:
        with ctx.uow() as uow:
            widget = uow.session.get(Widget, widget_id)
            if widget is None:
                raise NotFound("widget", str(widget_id))
            check_if_match(if_match, etag_of(widget.version), required=True)
            widget.name, widget.version = body.name, widget.version + 1
            uow.commit()
            return out.model_validate(widget, from_attributes=True)


def build_routers(ctx: ServiceContext) -> Sequence[APIRouter]:
    v1, v2, boom = APIRouter(tags=["widgets"]), APIRouter(tags=["widgets"]), APIRouter()
    _routes(ctx, v1, v2=False)
    _routes(ctx, v2, v2=True)

    @boom.post("/v1/widgets/{widget_id}/audit", include_in_schema=False)
    def audit(widget_id: int) -> dict[str, int]:
        """A read in one unit of work around a write in another (an in-process peer call)."""
        with ctx.uow() as outer:
            widget = outer.session.get(Widget, widget_id)
            if widget is None:
                raise NotFound("widget", str(widget_id))
            with ctx.uow() as inner:
                inner.session.add(Widget(name=f"audit of {widget.id}"))
                inner.commit()
            count = len(outer.session.scalars(select(Widget.id)).all())
        return {"widgets": count}

    @boom.get("/v1/boom", include_in_schema=False)
    def explode(request: Request) -> None:
        raise RuntimeError("SELECT secret FROM /srv/shop/internal.py failed")

    ctx.facades["widgets"] = object()
    return [v1, v2, boom]


def on_start(ctx: ServiceContext) -> None:
    received: list[Message] = []
    ctx.state["received"] = received

    def remember(message: Message, uow: SqlUnitOfWork) -> None:
        received.append(message)

    ctx.bus.subscribe(TOPIC, IdempotentConsumer(ctx.uow, "widgets.audit", remember))


SERVICE = ServiceModule(
    "widgets",
    build_routers,
    [{"name": "widgets", "description": "Test widgets."}],
    on_start=on_start,
)
