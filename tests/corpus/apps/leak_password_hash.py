"""A user profile that returns the stored row, password hash included."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Path
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("password_hash_exposed", "GET /users/{user_id}")
PROBES = (Probe("GET /users/{user_id}", path={"user_id": 1}),)

_HASH = "$2b$12$Jz9yq2cM1wM5bCkq0cJ8Ye0xv0w3h9V5o8c2n1m4k7j6h5g4f3e2d"
_ROWS: dict[int, dict[str, Any]] = {
    1: {"id": 1, "email": "ana@example.com", "password_hash": _HASH},
    2: {"id": 2, "email": "ben@example.com", "password_hash": _HASH.replace("Jz", "Kq")},
}


class User(BaseModel):
    id: int
    email: str


class Missing(BaseModel):
    detail: str


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="users"))

    @app.get("/users/{user_id}", response_model=User, responses={404: {"model": Missing}})
    def read(user_id: Annotated[int, Path(ge=1, examples=[1])]) -> Any:
        row = _ROWS.get(user_id)
        if row is None:
            raise HTTPException(404, "no such user")
        if fixed:
            return User(id=row["id"], email=row["email"])
        return JSONResponse(row)

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
