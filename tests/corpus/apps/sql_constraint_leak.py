"""A duplicate e-mail answered with the database's constraint message."""

from __future__ import annotations

import sqlite3

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, Field
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("sql_error_leak", "POST /accounts")
PROBES = (Probe("POST /accounts", body={"email": "ana@example.com"}),)


class AccountIn(BaseModel):
    email: str = Field(min_length=3, max_length=80, examples=["ana@example.com"])


class Account(BaseModel):
    id: int
    email: str


class Problem(BaseModel):
    detail: str


def _database() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY, email TEXT UNIQUE NOT NULL)")
    db.execute("INSERT INTO accounts (email) VALUES ('ana@example.com')")
    return db


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="accounts"))
    db = _database()

    @app.post("/accounts", status_code=201, responses={409: {"model": Problem}})
    def register(account: AccountIn) -> Account:
        try:
            cursor = db.execute("INSERT INTO accounts (email) VALUES (?)", (account.email,))
        except sqlite3.IntegrityError as exc:
            detail = "this e-mail is already registered" if fixed else str(exc)
            raise HTTPException(409, detail) from None
        return Account(id=cursor.lastrowid or 0, email=account.email)

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
