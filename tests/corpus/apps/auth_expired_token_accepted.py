"""A notes API that does not verify ``exp``: expired tokens still work."""

from __future__ import annotations

from fastapi import FastAPI
from tests.corpus.apps._auth import credential_probe, notes_app, settings, variant_token

DEFECT = ("invalid_credentials_accepted", "GET /notes")
PROBES = (credential_probe("GET /notes", "expired", variant_token("expired")),)
SETTINGS = settings(operations=("list_notes",))


def defective() -> FastAPI:
    return notes_app("no_exp_check")


def clean() -> FastAPI:
    return notes_app()
