"""A reports endpoint that declares the ``reports:read`` scope and never checks it."""

from __future__ import annotations

from fastapi import FastAPI
from tests.corpus.apps._auth import access_probe, notes_app, settings

DEFECT = ("authorization_not_enforced", "GET /reports")
PROBES = (access_probe("GET /reports", "ana", "lacks the scope(s) reports:read"),)
SETTINGS = settings(operations=("read_report",))


def defective() -> FastAPI:
    return notes_app("no_scope_check")


def clean() -> FastAPI:
    return notes_app()
