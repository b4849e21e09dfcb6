"""Sign-up copies ``role`` from the body: anyone can register as an admin."""

from __future__ import annotations

from fastapi import FastAPI
from tests.corpus.apps._auth import assignment_probe, notes_app, settings

DEFECT = ("mass_assignment", "POST /signup")
PROBES = (
    assignment_probe(
        "POST /signup", {"email": "a@example.com", "role": "admin"}, {"role": "admin"}
    ),
)
SETTINGS = settings(operations=("sign_up",))


def defective() -> FastAPI:
    return notes_app("mass_role")


def clean() -> FastAPI:
    return notes_app()
