"""The most common documentation gap: a lookup answers 404 but the spec lists only 200."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("undocumented_status_code", "GET /books/{book_id}")
SAME_SPEC = False
PROBES = (Probe("GET /books/{book_id}", path={"book_id": 42}),)


class Book(BaseModel):
    id: int
    title: str


class Missing(BaseModel):
    detail: str


_BOOKS = {1: Book(id=1, title="Dune")}


def _app(*, documented: bool) -> FastAPI:
    app = hardened(FastAPI(title="books"))
    responses: dict[int | str, Any] = {404: {"model": Missing}} if documented else {}

    @app.get("/books/{book_id}", responses=responses)
    def get_book(book_id: int) -> Book:
        if book_id not in _BOOKS:
            raise HTTPException(404, "no such book")
        return _BOOKS[book_id]

    return app


def defective() -> FastAPI:
    return _app(documented=False)


def clean() -> FastAPI:
    return _app(documented=True)
