"""Product reviews that name each author by the e-mail address they log in with."""

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

DEFECT = ("foreign_personal_data", "GET /reviews")
PROBES = (Probe("GET /reviews", identity="ana"),)
USERS = {"ana@corpus.test": "Ana", "ben@corpus.test": "Ben"}
PASSWORD = "corpus-password"
_scheme = OAuth2PasswordBearer("/token", auto_error=True)


def _identity(user: str) -> Identity:
    found = Identity.oauth2_password(user.split("@", maxsplit=1)[0], "/token", user, PASSWORD)
    return dataclasses.replace(found, roles=frozenset({"customer"}))


SETTINGS = {"identities": tuple(_identity(u) for u in USERS)}


class Review(BaseModel):
    product: str
    stars: int
    author: str


class Token(BaseModel):
    access_token: str
    token_type: str


_REVIEWS = (("lamp", 5, "ben@corpus.test"), ("desk", 3, "ana@corpus.test"))


def _app(*, leaks: bool) -> FastAPI:
    app = hardened(FastAPI(title="reviews"))
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

    @app.get("/reviews", responses={401: {"description": "Not signed in"}})
    def reviews(raw: Annotated[str, Depends(_scheme)]) -> list[Review]:
        if raw not in issued:
            raise HTTPException(401, "invalid token", headers={"WWW-Authenticate": "Bearer"})
        return [Review(product=p, stars=s, author=a if leaks else USERS[a]) for p, s, a in _REVIEWS]

    return app


def defective() -> FastAPI:
    return _app(leaks=True)


def clean() -> FastAPI:
    return _app(leaks=False)
