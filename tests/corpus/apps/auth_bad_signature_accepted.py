"""A notes API that decodes JWTs without verifying their signature."""

from __future__ import annotations

from fastapi import FastAPI
from tests.corpus.apps._auth import credential_probe, notes_app, settings, variant_token

DEFECT = ("invalid_credentials_accepted", "GET /notes")
PROBES = (credential_probe("GET /notes", "bad_signature", variant_token("bad_signature")),)
SETTINGS = settings(operations=("list_notes",))


def defective() -> FastAPI:
    return notes_app("no_signature_check")


def clean() -> FastAPI:
    return notes_app()
