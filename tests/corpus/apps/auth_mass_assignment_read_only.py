"""Sign-up copies ``balance``, which the schema marks readOnly, from the body."""

from __future__ import annotations

from fastapi import FastAPI
from tests.corpus.apps._auth import assignment_probe, notes_app, settings

DEFECT = ("mass_assignment", "POST /signup")
PROBES = (
    assignment_probe(
        "POST /signup", {"email": "a@example.com", "balance": 987654321}, {"balance": 987654321}
    ),
)
SETTINGS = settings(operations=("sign_up",))


def defective() -> FastAPI:
    return notes_app("mass_read_only")


def clean() -> FastAPI:
    return notes_app()
