"""Reading an invite consumes it: the second identical GET answers 404."""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, HTTPException, Path
from pydantic import BaseModel
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("get_not_idempotent", "GET /invites/{code}")
PROBES = (Probe("GET /invites/{code}", path={"code": "WELCOME"}),)


class Invite(BaseModel):
    code: str
    team: str


class Missing(BaseModel):
    detail: str


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="invites"))
    invites = {"WELCOME": Invite(code="WELCOME", team="core")}

    @app.get("/invites/{code}", responses={404: {"model": Missing}})
    def read(code: Annotated[str, Path(max_length=20, examples=["WELCOME"])]) -> Invite:
        invite = invites.get(code) if fixed else invites.pop(code, None)
        if invite is None:
            raise HTTPException(404, "no such invite")
        return invite

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
