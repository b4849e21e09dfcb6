"""An RS256 API whose verifier lets the token pick HS256, keyed with the public key."""

from __future__ import annotations

from fastapi import FastAPI
from tests.corpus.apps._auth import credential_probe, notes_app, settings, variant_token

DEFECT = ("invalid_credentials_accepted", "GET /notes")
PROBES = (
    credential_probe(
        "GET /notes", "algorithm_confusion", variant_token("algorithm_confusion", rsa=True)
    ),
)
SETTINGS = settings(rsa=True, operations=("list_notes", "jwks"))


def defective() -> FastAPI:
    return notes_app("confusion", rsa=True)


def clean() -> FastAPI:
    return notes_app(rsa=True)
