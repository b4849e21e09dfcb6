"""A notes API that accepts unsigned JWTs (``alg: none``)."""

from __future__ import annotations

from fastapi import FastAPI
from tests.corpus.apps._auth import credential_probe, notes_app, settings, variant_token

DEFECT = ("invalid_credentials_accepted", "GET /notes")
PROBES = (credential_probe("GET /notes", "alg_none", variant_token("alg_none")),)
SETTINGS = settings(operations=("list_notes",))


def defective() -> FastAPI:
    return notes_app("alg_none")


def clean() -> FastAPI:
    return notes_app()
