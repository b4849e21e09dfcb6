"""An order lookup that pastes the customer into SQL and hides the errors (blind)."""

from __future__ import annotations

import sqlite3
from typing import Annotated

from fastapi import FastAPI, Query
from pydantic import BaseModel
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("sql_injection_boolean", "GET /orders")
PROBES = (Probe("GET /orders", query={"customer": "zoe' OR '1'='1' -- "}, phase="security"),)
SETTINGS = {"phases": ("examples", "security")}


class Order(BaseModel):
    id: int
    customer: str
    total: int


_ORDERS = [("ana", 1200), ("ben", 800), ("ana", 300), ("cleo", 4100)]


def _database() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT, total INTEGER)")
    db.executemany("INSERT INTO orders (customer, total) VALUES (?, ?)", _ORDERS)
    return db


def _app(*, fixed: bool) -> FastAPI:
    app = FastAPI(title="orders")
    db = _database()

    @app.get("/orders")
    def orders(customer: Annotated[str, Query(min_length=1, max_length=60)]) -> list[Order]:
        query = "SELECT id, customer, total FROM orders WHERE customer = "
        try:
            if fixed:
                rows = db.execute(query + "?", (customer,)).fetchall()
            else:
                rows = db.execute(f"{query}'{customer}'").fetchall()
        except sqlite3.Error:
            rows = []
        return [Order(id=r[0], customer=r[1], total=r[2]) for r in rows]

    return app


def defective() -> FastAPI:
    return hardened(_app(fixed=False))


def clean() -> FastAPI:
    return hardened(_app(fixed=True))
