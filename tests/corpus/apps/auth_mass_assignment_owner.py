"""Creating a note takes ``owner_id`` from the body: notes can be planted on other users."""

from __future__ import annotations

from fastapi import FastAPI
from tests.corpus.apps._auth import assignment_probe, notes_app, settings

DEFECT = ("mass_assignment", "POST /notes")
PROBES = (
    assignment_probe(
        "POST /notes",
        {"title": "t", "owner_id": "assay-injected-7f3a"},
        {"owner_id": "assay-injected-7f3a"},
    ),
)
SETTINGS = settings(operations=("create_note",))


def defective() -> FastAPI:
    return notes_app("mass_owner")


def clean() -> FastAPI:
    return notes_app()
