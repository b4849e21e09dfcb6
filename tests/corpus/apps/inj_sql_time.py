"""A coupon check on a MySQL-like database (SLEEP exists) that pastes the code into SQL.

Errors are hidden and the answer is the same whatever the query finds, so only the
time the query takes shows the injection. SQLite stands in for MySQL here: it gets a
``SLEEP(seconds)`` function like MySQL's.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Annotated

from fastapi import FastAPI, Query
from pydantic import BaseModel
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("sql_injection_time", "GET /coupons/check")
PROBES = (
    Probe(
        "GET /coupons/check",
        query={"code": "SPRING' OR (SELECT 1 FROM (SELECT SLEEP(1)) AS assay)=1 -- "},
        phase="security",
    ),
)
SETTINGS = {"phases": ("examples", "security")}


class Verdict(BaseModel):
    checked: bool


def _sleep(seconds: float) -> int:
    time.sleep(min(float(seconds), 2.0))
    return 0


def _database() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.create_function("SLEEP", 1, _sleep)
    db.execute("CREATE TABLE coupons (code TEXT PRIMARY KEY, percent INTEGER)")
    db.executemany("INSERT INTO coupons VALUES (?, ?)", [("SPRING", 10), ("VIP", 25)])
    return db


def _app(*, fixed: bool) -> FastAPI:
    app = FastAPI(title="coupons")
    db = _database()

    @app.get("/coupons/check")
    def check(code: Annotated[str, Query(min_length=1, max_length=80)]) -> Verdict:
        query = "SELECT percent FROM coupons WHERE code = "
        try:
            if fixed:
                db.execute(query + "?", (code,)).fetchall()
            else:
                db.execute(f"{query}'{code}'").fetchall()
        except sqlite3.Error:
            pass
        return Verdict(checked=True)

    return app


def defective() -> FastAPI:
    return hardened(_app(fixed=False))


def clean() -> FastAPI:
    return hardened(_app(fixed=True))
