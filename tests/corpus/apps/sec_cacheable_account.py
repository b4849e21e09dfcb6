"""An account endpoint whose answers (one user's data) shared caches may keep."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Response
from fastapi.security import APIKeyHeader
from pydantic import BaseModel
from tests.checks.bench import Probe
from tests.corpus.apps._security import facts, harden

from assay.client.identities import Identity

DEFECT = ("cacheable_authenticated_response", "GET /account")
SETTINGS = {"phases": ("security",), "identities": (Identity.api_key("svc", "key-1"),)}
PROBES = (
    Probe(
        "GET /account",
        headers={"X-API-Key": "key-1"},
        phase="security",
        scenario=facts("headers", "representative", authenticated=True),
    ),
)


KEY = APIKeyHeader(name="X-API-Key", auto_error=False)


class Account(BaseModel):
    owner: str
    balance: int


def _app(*, fixed: bool) -> FastAPI:
    app = FastAPI(title="accounts")
    harden(app)

    @app.get("/account", response_model=Account, responses={401: {"description": "No key."}})
    def account(response: Response, api_key: Annotated[str | None, Depends(KEY)]) -> Account:
        if api_key != "key-1":
            raise HTTPException(401, "missing or wrong API key")
        # DEFECT: a CDN-friendly header on a per-user answer.
        response.headers["Cache-Control"] = "private, no-store" if fixed else "public, max-age=600"
        return Account(owner="svc", balance=10)

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
