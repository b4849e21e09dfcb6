"""An insert whose unique-constraint error is not handled: a duplicate SKU is a 500."""

from __future__ import annotations

import sqlite3

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, Field
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("server_error", "POST /skus")
PROBES = (Probe("POST /skus", body={"sku": "LAMP-1"}),)


class SkuIn(BaseModel):
    sku: str = Field(min_length=1, max_length=20, examples=["LAMP-1"])


class Sku(BaseModel):
    sku: str


class Conflict(BaseModel):
    detail: str


def _database() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.execute("CREATE TABLE skus (sku TEXT PRIMARY KEY)")
    db.execute("INSERT INTO skus VALUES ('LAMP-1')")
    return db


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="skus"))
    db = _database()

    @app.post("/skus", status_code=201, responses={409: {"model": Conflict}})
    def create(item: SkuIn) -> Sku:
        try:
            db.execute("INSERT INTO skus VALUES (?)", (item.sku,))
        except sqlite3.IntegrityError:
            if not fixed:
                raise
            raise HTTPException(409, "this SKU exists already") from None
        return Sku(sku=item.sku)

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
