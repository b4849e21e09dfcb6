"""Keyset pagination, opaque cursors, ``limit`` and ``sort`` query parameters.

A list endpoint::

    PRODUCT_SORT = sort_param({"sku", "name", "created_at"}, default="sku", tiebreaker="sku")

    @router.get("/v1/products", response_model=Page[ProductOut])
    def list_products(
        limit: Limit, cursor: Cursor, sort: Annotated[SortSpec, Depends(PRODUCT_SORT)]
    ):
        query = select(Product).order_by(*sort.order_by(COLUMNS))
        if cursor is not None:
            query = query.where(sort.after(COLUMNS, cursor))
        rows = session.scalars(query.limit(limit + 1)).all()
        return Page.of(rows[:limit], next_cursor=... if len(rows) > limit else None)

Cursors are signed (HMAC): a tampered or malformed cursor is a 400 problem, never a 500.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import inspect
import json
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, and_, false, or_

from shop.platform.problems import BadRequest, Unprocessable

T = TypeVar("T")
CursorValue = str | int | float | bool | None | datetime | Decimal
_CURSOR_KEY = b"shop-cursor-v1"


class Page(BaseModel, Generic[T]):
    """One page of a list and the cursor of the next one (``null`` on the last page)."""

    items: list[T]
    next_cursor: str | None = Field(
        default=None, description="Pass as `cursor` to get the next page; null on the last."
    )


def _tag(value: CursorValue) -> object:
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, Decimal):
        return {"dec": str(value)}
    return value


def _untag(value: object) -> CursorValue:
    if isinstance(value, dict):
        if set(value) == {"dt"}:
            return datetime.fromisoformat(str(value["dt"]))
        if set(value) == {"dec"}:
            return Decimal(str(value["dec"]))
        raise ValueError("unknown cursor value")
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise ValueError("unsupported cursor value")


def _signature(payload: bytes) -> bytes:
    return hmac.new(_CURSOR_KEY, payload, hashlib.sha256).digest()[:12]


def encode_cursor(values: tuple[CursorValue, ...]) -> str:
    """An opaque, URL-safe cursor carrying the sort key values of the last item."""
    payload = json.dumps([_tag(v) for v in values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(_signature(payload) + payload).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[CursorValue, ...]:
    """The values of ``cursor``; ``BadRequest`` (400) when it is malformed or tampered."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        signature, payload = raw[:12], raw[12:]
        if not hmac.compare_digest(signature, _signature(payload)):
            raise ValueError("bad signature")
        values = json.loads(payload)
        if not isinstance(values, list):
            raise ValueError("not a list")
        return tuple(_untag(v) for v in values)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise BadRequest(
            "The cursor is not valid: pass back a next_cursor exactly as received.",
            slug="invalid-cursor",
            title="Invalid cursor",
        ) from exc


def limit_param(
    limit: Annotated[int, Query(ge=1, le=100, description="Items per page (1-100).")] = 20,
) -> int:
    """The ``limit`` query parameter: 1..100, default 20."""
    return limit


def cursor_param(
    cursor: Annotated[
        str | None,
        Query(max_length=512, description="The `next_cursor` of the previous page."),
    ] = None,
) -> tuple[CursorValue, ...] | None:
    """The decoded ``cursor`` query parameter (400 problem when tampered)."""
    return None if cursor is None else decode_cursor(cursor)


Limit = Annotated[int, Depends(limit_param)]
Cursor = Annotated[tuple[CursorValue, ...] | None, Depends(cursor_param)]


@dataclass(frozen=True)
class SortField:
    name: str
    descending: bool = False


@dataclass(frozen=True)
class SortSpec:
    """A parsed ``sort=-created_at,sku`` (``-`` means descending), allow-listed."""

    fields: tuple[SortField, ...]

    @classmethod
    def parse(
        cls, raw: str | None, allowed: Collection[str], default: str, tiebreaker: str | None = None
    ) -> SortSpec:
        """Parse ``raw`` (or ``default``); unknown or repeated fields are a 422 problem.

        ``tiebreaker`` (a unique column) is appended when absent so keyset pages are stable.
        """
        fields: list[SortField] = []
        for token in (raw or default).split(","):
            name = token.strip().removeprefix("-")
            if name not in allowed or any(f.name == name for f in fields):
                raise _sort_problem(token.strip(), allowed)
            fields.append(SortField(name, token.strip().startswith("-")))
        if tiebreaker and all(f.name != tiebreaker for f in fields):
            fields.append(SortField(tiebreaker))
        return cls(tuple(fields))

    def order_by(self, columns: Mapping[str, Any]) -> list[Any]:
        """SQLAlchemy ``ORDER BY`` clauses for the fields."""
        return [
            columns[f.name].desc() if f.descending else columns[f.name].asc() for f in self.fields
        ]

    def key(self, item: object) -> tuple[CursorValue, ...]:
        """The cursor values of ``item`` (attributes named like the sort fields)."""
        return tuple(getattr(item, f.name) for f in self.fields)

    def after(
        self, columns: Mapping[str, Any], values: Sequence[CursorValue]
    ) -> ColumnElement[bool]:
        """The keyset condition "strictly after ``values``" in this order."""
        if len(values) != len(self.fields):
            raise BadRequest(
                "The cursor belongs to another sort order.",
                slug="invalid-cursor",
                title="Invalid cursor",
            )
        clauses: list[ColumnElement[bool]] = []
        for index, field in enumerate(self.fields):
            column = columns[field.name]
            equal = [columns[f.name] == values[i] for i, f in enumerate(self.fields[:index])]
            beyond = column < values[index] if field.descending else column > values[index]
            clauses.append(and_(*equal, beyond))
        return or_(false(), *clauses)


def _sort_problem(token: str, allowed: Collection[str]) -> Unprocessable:
    choices = ", ".join(sorted(allowed))
    return Unprocessable(
        f"Cannot sort by {token!r}; sortable fields: {choices} (prefix - for descending).",
        errors=[{"location": "query", "pointer": "/query/sort", "detail": f"one of {choices}"}],
    )


def sort_param(
    allowed: Collection[str], default: str, tiebreaker: str | None = None
) -> Callable[..., SortSpec]:
    """A dependency parsing the ``sort`` query parameter against ``allowed``."""
    description = "Comma-separated fields, `-` for descending. Allowed: " + ", ".join(
        sorted(allowed)
    )

    def dependency(sort: str | None = None) -> SortSpec:
        return SortSpec.parse(sort, allowed, default, tiebreaker)

    # Annotations are strings under PEP 563; give FastAPI the real parameter object.
    parameter = inspect.Parameter(
        "sort",
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[str | None, Query(max_length=200, description=description)],
    )
    dependency.__signature__ = inspect.Signature([parameter], return_annotation=SortSpec)  # type: ignore[attr-defined]
    return dependency
