"""A token endpoint whose refusal says whether the user or the password was wrong."""

from __future__ import annotations

from fastapi import FastAPI, Response
from fastapi.responses import JSONResponse
from tests.corpus.apps._security import KNOWN_USER, LoginGuard, token_app
from tests.corpus.apps._tokens import SETTINGS, samples

DEFECT = ("user_enumeration", "POST /token")
PROBES = samples()
__all__ = ["DEFECT", "PROBES", "SETTINGS", "clean", "defective"]


def _tells(user: str, headers: dict[str, str]) -> Response:
    detail = "wrong password" if user == KNOWN_USER else "no such user"
    return JSONResponse({"detail": detail}, status_code=401, headers=headers)


def defective() -> FastAPI:
    return token_app("identity", guard=LoginGuard(), refuse=_tells)


def clean() -> FastAPI:
    return token_app("identity", guard=LoginGuard())
