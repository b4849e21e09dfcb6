"""Listing authors loads each author's books with a statement of its own (N+1).

Authors and their books live in SQLite through SQLAlchemy's ORM. The defect reads a
page of authors, then each author's ``books`` relationship lazily: one more statement
per author on the page. The fix loads the page's books in one statement
(``selectinload``), whatever the page size.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, HTTPException, Path, Query, Response
from pydantic import BaseModel, Field
from sqlalchemy import ForeignKey, String, create_engine, select
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    mapped_column,
    relationship,
    selectinload,
)
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened
from tests.corpus.apps._scratch import scratch_database

DEFECT = ("n_plus_one_queries", "GET /authors")
_PAGE = {"name": "queries", "step": "page_sizes", "parameter": "limit", "small": 2, "large": 8}
PROBES = (
    *(Probe("POST /authors", body={"name": f"Author {n}", "books": ["One"]}) for n in range(9)),
    Probe("GET /authors", query={"limit": 8}, phase="queries", scenario=_PAGE),
)


class Base(DeclarativeBase):
    pass


class AuthorRow(Base):
    __tablename__ = "authors"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    books: Mapped[list[BookRow]] = relationship(cascade="all, delete-orphan", order_by="BookRow.id")


class BookRow(Base):
    __tablename__ = "books"
    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id"))
    title: Mapped[str] = mapped_column(String(80))


class AuthorIn(BaseModel):
    name: str = Field(min_length=1, max_length=50)
    books: list[Annotated[str, Field(min_length=1, max_length=80)]] = Field(max_length=5)


class Author(AuthorIn):
    id: int


AuthorId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class Problem(BaseModel):
    detail: str


def _shown(row: AuthorRow) -> Author:
    return Author(id=row.id, name=row.name, books=[book.title for book in row.books])


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="library"))
    engine = create_engine(scratch_database(app))
    Base.metadata.create_all(engine)
    missing = {404: {"model": Problem, "description": "No such author"}}

    @app.post("/authors", status_code=201)
    def add(body: AuthorIn) -> Author:
        with Session(engine) as session, session.begin():
            row = AuthorRow(name=body.name, books=[BookRow(title=t) for t in body.books])
            session.add(row)
            session.flush()
            return _shown(row)

    @app.get("/authors")
    def authors(limit: Annotated[int, Query(ge=1, le=50)] = 10) -> list[Author]:
        query = select(AuthorRow).order_by(AuthorRow.id).limit(limit)
        if fixed:
            query = query.options(selectinload(AuthorRow.books))
        with Session(engine) as session:
            return [_shown(row) for row in session.scalars(query)]

    @app.get("/authors/{author_id}", responses=missing)
    def author(author_id: AuthorId) -> Author:
        with Session(engine) as session:
            row = session.get(AuthorRow, author_id)
            if row is None:
                raise HTTPException(404, "no such author")
            return _shown(row)

    @app.delete("/authors/{author_id}", status_code=204, responses=missing)
    def remove(author_id: AuthorId) -> Response:
        with Session(engine) as session, session.begin():
            row = session.get(AuthorRow, author_id)
            if row is None:
                raise HTTPException(404, "no such author")
            session.delete(row)
        return Response(status_code=204)

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
