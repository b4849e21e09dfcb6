"""A hidden validator stricter than the published schema: usernames must be alphanumeric."""

# No `from __future__ import annotations`: the endpoint's model is local to the factory.

from fastapi import FastAPI
from pydantic import BaseModel, Field, field_validator
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("valid_input_rejected", "POST /users")
PROBES = (Probe("POST /users", body={"username": "ana maria"}),)


class User(BaseModel):
    id: int
    username: str


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="users"))
    created: list[User] = []

    class UserIn(BaseModel):
        username: str = Field(min_length=1, max_length=30)

        @field_validator("username")
        @classmethod
        def alphanumeric(cls, value: str) -> str:
            if not fixed and not value.isalnum():
                raise ValueError("username must be letters and digits")
            return value

    @app.post("/users", status_code=201)
    def register(user: UserIn) -> User:
        made = User(id=len(created) + 1, username=user.username)
        created.append(made)
        return made

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
