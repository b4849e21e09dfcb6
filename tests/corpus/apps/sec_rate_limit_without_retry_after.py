"""A login limit whose 429 does not say when to try again."""

from __future__ import annotations

from fastapi import FastAPI
from tests.corpus.apps._security import LoginGuard, token_app
from tests.corpus.apps._tokens import SETTINGS, burst

DEFECT = ("rate_limit_without_retry_after", "POST /token")
PROBES = burst(8)
__all__ = ["DEFECT", "PROBES", "SETTINGS", "clean", "defective"]


def defective() -> FastAPI:
    return token_app("identity", guard=LoginGuard(retry_after=False))


def clean() -> FastAPI:
    return token_app("identity", guard=LoginGuard())
