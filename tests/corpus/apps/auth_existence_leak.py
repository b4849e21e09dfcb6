"""An admin view that looks the note up before checking the role: 404 vs 403 tells ids."""

from __future__ import annotations

from fastapi import FastAPI
from tests.checks.bench import Probe
from tests.corpus.apps._auth import access_probe, bearer, notes_app, settings

DEFECT = ("existence_disclosed", "GET /notes/{note_id}/admin")
_REASON = "the policy grants customer no access"
_EXISTING = {"status": 403, "curl": "", "id": {"note_id": 1}}
PROBES = (
    Probe("POST /notes", headers=bearer("root"), body={"title": "minutes"}),
    access_probe("GET /notes/{note_id}/admin", "ana", _REASON, path={"note_id": 1}),
    Probe(
        "GET /notes/{note_id}/admin",
        path={"note_id": 987654321},
        headers=bearer("ana"),
        phase="auth",
        scenario={"step": "existence", "identity": "ana", "existing": _EXISTING},
    ),
)
SETTINGS = settings(policy=True, operations=("create_note", "inspect_note"))


def defective() -> FastAPI:
    return notes_app("existence_leak")


def clean() -> FastAPI:
    return notes_app()
