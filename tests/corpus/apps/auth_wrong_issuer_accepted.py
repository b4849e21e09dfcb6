"""A notes API that accepts tokens of any issuer."""

from __future__ import annotations

from fastapi import FastAPI
from tests.corpus.apps._auth import credential_probe, notes_app, settings, variant_token

DEFECT = ("invalid_credentials_accepted", "GET /notes")
PROBES = (credential_probe("GET /notes", "wrong_issuer", variant_token("wrong_issuer")),)
SETTINGS = settings(operations=("list_notes",))


def defective() -> FastAPI:
    return notes_app("no_iss_check")


def clean() -> FastAPI:
    return notes_app()
