"""A token endpoint that answers 404 for unknown users and 401 for wrong passwords."""

from __future__ import annotations

from fastapi import FastAPI, Response
from fastapi.responses import JSONResponse
from tests.corpus.apps._security import KNOWN_USER, LoginGuard, token_app
from tests.corpus.apps._tokens import SETTINGS, samples

DEFECT = ("user_enumeration", "POST /token")
PROBES = samples()
__all__ = ["DEFECT", "PROBES", "SETTINGS", "clean", "defective"]


def _tells(user: str, headers: dict[str, str]) -> Response:
    status = 401 if user == KNOWN_USER else 404
    return JSONResponse({"detail": "invalid credentials"}, status_code=status, headers=headers)


def defective() -> FastAPI:
    return token_app("identity", guard=LoginGuard(), refuse=_tells)


def clean() -> FastAPI:
    return token_app("identity", guard=LoginGuard())
