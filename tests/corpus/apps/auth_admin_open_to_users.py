"""An admin listing that checks the token but not the caller's role (the policy says admins)."""

from __future__ import annotations

from fastapi import FastAPI
from tests.corpus.apps._auth import access_probe, notes_app, settings

DEFECT = ("authorization_not_enforced", "GET /admin/users")
PROBES = (access_probe("GET /admin/users", "ana", "the policy grants customer no access"),)
SETTINGS = settings(policy=True, operations=("list_users",))


def defective() -> FastAPI:
    return notes_app("admin_open")


def clean() -> FastAPI:
    return notes_app()
