"""A sort parameter pasted into SQL: any unknown column leaks the SQLite error."""

from __future__ import annotations

import sqlite3
from typing import Annotated

from fastapi import FastAPI, HTTPException, Query
from pydantic import BaseModel
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("sql_error_leak", "GET /customers")
PROBES = (Probe("GET /customers", query={"sort": "nickname"}),)

_COLUMNS = ("id", "name")


class Customer(BaseModel):
    id: int
    name: str


class Problem(BaseModel):
    detail: str


def _database() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
    db.executemany("INSERT INTO customers (name) VALUES (?)", [("Ana",), ("Ben",)])
    return db


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="customers"))
    db = _database()

    @app.get("/customers", responses={400: {"model": Problem}})
    def customers(sort: Annotated[str, Query(max_length=30)] = "id") -> list[Customer]:
        if fixed and sort not in _COLUMNS:
            raise HTTPException(400, "sort must be id or name")
        try:
            rows = db.execute(f"SELECT id, name FROM customers ORDER BY {sort}").fetchall()
        except sqlite3.Error as exc:
            raise HTTPException(400, f"query failed: {exc}") from None
        return [Customer(id=row[0], name=row[1]) for row in rows]

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
