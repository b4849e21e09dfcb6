"""A customer search that pastes the name into SQL and answers the driver's error."""

from __future__ import annotations

import sqlite3
from typing import Annotated

from fastapi import FastAPI, HTTPException, Query
from pydantic import BaseModel
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("sql_injection_error", "GET /customers")
PROBES = (Probe("GET /customers", query={"name": "Ana'"}, phase="security"),)
SETTINGS = {"phases": ("examples", "security")}


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
    app = FastAPI(title="customers")
    db = _database()

    @app.get("/customers", responses={400: {"model": Problem}})
    def customers(name: Annotated[str, Query(max_length=60)] = "") -> list[Customer]:
        query = "SELECT id, name FROM customers WHERE name = "
        try:
            if fixed:
                rows = db.execute(query + "?", (name,)).fetchall()
            else:
                rows = db.execute(f"{query}'{name}'").fetchall()
        except sqlite3.Error as exc:
            raise HTTPException(400, f"search failed: {exc}") from None
        return [Customer(id=row[0], name=row[1]) for row in rows]

    return app


def defective() -> FastAPI:
    return hardened(_app(fixed=False))


def clean() -> FastAPI:
    return hardened(_app(fixed=True))
