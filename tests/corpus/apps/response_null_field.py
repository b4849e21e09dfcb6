"""A profile whose display name is null for users who never set one; the spec says string."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("response_schema_violation", "GET /profile")
PROBES = (Probe("GET /profile"),)


class Profile(BaseModel):
    username: str
    display_name: str


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="profile"))
    stored: dict[str, Any] = {"username": "ana", "display_name": None}

    @app.get("/profile", response_model=None, responses={200: {"model": Profile}})
    def profile() -> dict[str, Any]:
        name = stored["display_name"]
        if fixed and name is None:
            name = stored["username"]
        return {"username": stored["username"], "display_name": name}

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
