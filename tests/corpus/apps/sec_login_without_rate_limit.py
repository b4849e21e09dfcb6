"""A token endpoint that takes any number of password guesses."""

from __future__ import annotations

from fastapi import FastAPI
from tests.corpus.apps._security import LoginGuard, token_app
from tests.corpus.apps._tokens import SETTINGS, burst

DEFECT = ("missing_rate_limit", "POST /token")
PROBES = burst()
__all__ = ["DEFECT", "PROBES", "SETTINGS", "clean", "defective"]


def defective() -> FastAPI:
    return token_app("identity", guard=None)


def clean() -> FastAPI:
    return token_app("identity", guard=LoginGuard())
