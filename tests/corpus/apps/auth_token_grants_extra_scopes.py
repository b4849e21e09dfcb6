"""The token endpoint grants whatever scopes are asked for, held or not."""

from __future__ import annotations

from fastapi import FastAPI
from tests.checks.bench import Probe
from tests.corpus.apps._auth import PASSWORD, USERS, notes_app, settings

DEFECT = ("token_grants_unheld_scopes", "POST /token")
_ASKED = "admin notes:read notes:write reports:read"
PROBES = (
    Probe(
        "POST /token",
        body={"grant_type": "password", "username": "ana", "password": PASSWORD, "scope": _ASKED},
        media_type="application/x-www-form-urlencoded",
        phase="auth",
        scenario={
            "step": "token_scopes",
            "identity": "ana",
            "held": sorted(USERS["ana"][1].split()),
            "requested": _ASKED,
        },
    ),
)
SETTINGS = settings(login=True, operations=("issue_token", "list_notes"))


def defective() -> FastAPI:
    return notes_app("grant_any_scope")


def clean() -> FastAPI:
    return notes_app()
