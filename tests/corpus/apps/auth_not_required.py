"""A notes API whose security dependency lets requests without a token through."""

from __future__ import annotations

from fastapi import FastAPI
from tests.corpus.apps._auth import credential_probe, notes_app, settings

DEFECT = ("authentication_not_enforced", "GET /notes")
PROBES = (credential_probe("GET /notes", "none", ""),)
SETTINGS = settings(operations=("list_notes",))


def defective() -> FastAPI:
    return notes_app("no_auth")


def clean() -> FastAPI:
    return notes_app()
