"""A notes API that refuses missing tokens with a bare 401 (no WWW-Authenticate)."""

from __future__ import annotations

from fastapi import FastAPI
from tests.corpus.apps._auth import credential_probe, notes_app, settings

DEFECT = ("missing_auth_challenge", "GET /notes")
PROBES = (credential_probe("GET /notes", "none", ""),)
SETTINGS = settings(operations=("list_notes",))


def defective() -> FastAPI:
    return notes_app("no_challenge")


def clean() -> FastAPI:
    return notes_app()
