"""Stateless signed session cookies: logout clears the cookie, the session lives on."""

from __future__ import annotations

from fastapi import FastAPI
from tests.checks.bench import Probe
from tests.corpus.apps._security import KNOWN_USER, facts
from tests.corpus.apps._sessions import SETTINGS, SessionFlaws, login_form, session_app, signed

DEFECT = ("session_survives_logout", "GET /me")
_OLD = {"Cookie": f"sid={signed(KNOWN_USER)}"}
PROBES = (
    Probe("POST /login", body=login_form(), media_type="application/x-www-form-urlencoded"),
    Probe("POST /logout", headers=_OLD),
    Probe(
        "GET /me",
        headers=_OLD,
        phase="security",
        scenario=facts("sessions", "after_logout", logout_status=204),
    ),
)
__all__ = ["DEFECT", "PROBES", "SETTINGS", "clean", "defective"]


def defective() -> FastAPI:
    return session_app("console", SessionFlaws(stateless=True))


def clean() -> FastAPI:
    return session_app("console", SessionFlaws())
