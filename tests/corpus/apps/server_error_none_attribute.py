"""A lookup that dereferences None: an unknown user id crashes with a 500."""

from __future__ import annotations

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("server_error", "GET /users/{user_id}")
PROBES = (Probe("GET /users/{user_id}", path={"user_id": 999}),)


class User(BaseModel):
    id: int
    name: str


class Missing(BaseModel):
    detail: str


_USERS = {1: User(id=1, name="Ana"), 2: User(id=2, name="Ben")}


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="users"))

    @app.get("/users/{user_id}", responses={404: {"model": Missing}})
    def get_user(user_id: int) -> User:
        user = _USERS.get(user_id)
        if fixed and user is None:
            raise HTTPException(404, "no such user")
        return User(id=user.id, name=user.name)  # type: ignore[union-attr]

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
