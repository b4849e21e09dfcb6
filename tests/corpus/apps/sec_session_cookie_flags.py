"""A session cookie scripts can read and browsers send cross-site (no HttpOnly, SameSite)."""

from __future__ import annotations

from fastapi import FastAPI
from tests.checks.bench import Probe
from tests.corpus.apps._security import facts
from tests.corpus.apps._sessions import SETTINGS, SessionFlaws, login_form, session_app

DEFECT = ("session_cookie_flags", "POST /login")
PROBES = (
    Probe(
        "POST /login",
        body=login_form(),
        media_type="application/x-www-form-urlencoded",
        phase="security",
        scenario=facts("sessions", "login"),
    ),
)
__all__ = ["DEFECT", "PROBES", "SETTINGS", "clean", "defective"]


def defective() -> FastAPI:
    return session_app("console", SessionFlaws(flags={"samesite": None}))


def clean() -> FastAPI:
    return session_app("console", SessionFlaws())
