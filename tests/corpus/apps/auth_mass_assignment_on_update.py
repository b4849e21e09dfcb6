"""Renaming a note also takes ``owner_id`` from the body: a note can be handed to anyone."""

from __future__ import annotations

from fastapi import FastAPI
from tests.checks.bench import Probe
from tests.corpus.apps._auth import assignment_probe, bearer, notes_app, settings

DEFECT = ("mass_assignment", "PATCH /notes/{note_id}")
_OWNER = "assay-injected-7f3a"
PROBES = (
    Probe("POST /notes", headers=bearer("root"), body={"title": "minutes"}),
    assignment_probe(
        "PATCH /notes/{note_id}",
        {"title": "t", "owner_id": _OWNER},
        {"owner_id": _OWNER},
        path={"note_id": 1},
    ),
)
SETTINGS = settings(operations=("create_note", "rename_note"))


def defective() -> FastAPI:
    return notes_app("mass_owner_update")


def clean() -> FastAPI:
    return notes_app()
