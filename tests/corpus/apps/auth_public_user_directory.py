"""A public team directory that lists the e-mail addresses users log in with."""

from __future__ import annotations

import dataclasses
from typing import Annotated

from fastapi import Depends, FastAPI, Form, HTTPException
from fastapi.security import OAuth2PasswordBearer
from pydantic import BaseModel
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened
from tests.corpus.apps._security import LoginGuard

from assay.client.identities import Identity

DEFECT = ("public_operation_exposes_users", "GET /directory")
PROBES = (Probe("GET /directory"),)
USERS = {"ana@corpus.test": "Ana", "ben@corpus.test": "Ben"}
PASSWORD = "corpus-password"
_scheme = OAuth2PasswordBearer("/token", auto_error=True)


def _identity(user: str) -> Identity:
    found = Identity.oauth2_password(user.split("@", maxsplit=1)[0], "/token", user, PASSWORD)
    return dataclasses.replace(found, roles=frozenset({"member"}))


SETTINGS = {"phases": ("examples", "auth"), "identities": tuple(_identity(u) for u in USERS)}


class Member(BaseModel):
    name: str
    email: str | None = None


class Token(BaseModel):
    access_token: str
    token_type: str


def _app(*, leaks: bool) -> FastAPI:
    app = hardened(FastAPI(title="team"))
    issued: dict[str, str] = {}
    guard = LoginGuard()
    refused = {400: {"description": "Wrong credentials"}, 429: {"description": "Too many"}}

    @app.post("/token", responses=refused)
    def token(username: Annotated[str, Form()], password: Annotated[str, Form()]) -> Token:
        limits = guard.admit(username)
        if username not in USERS or password != PASSWORD:
            guard.failed(username)
            raise HTTPException(400, "invalid_grant", headers=limits)
        value = f"token-{len(issued) + 1}"
        issued[value] = username
        return Token(access_token=value, token_type="bearer")

    @app.get("/directory")
    def directory() -> list[Member]:
        return [Member(name=n, email=e if leaks else None) for e, n in USERS.items()]

    @app.get("/me", responses={401: {"description": "Not signed in"}})
    def me(raw: Annotated[str, Depends(_scheme)]) -> Member:
        if raw not in issued:
            raise HTTPException(401, "invalid token", headers={"WWW-Authenticate": "Bearer"})
        return Member(name=USERS[issued[raw]], email=issued[raw])

    return app


def defective() -> FastAPI:
    return _app(leaks=True)


def clean() -> FastAPI:
    return _app(leaks=False)
