"""A login that keeps the session id the browser already had (session fixation)."""

from __future__ import annotations

from fastapi import FastAPI
from tests.checks.bench import Probe
from tests.corpus.apps._security import facts
from tests.corpus.apps._sessions import SETTINGS, SessionFlaws, login_form, session_app

DEFECT = ("session_fixation", "GET /me")
_PLANTED = {"Cookie": "sid=planted-by-an-attacker"}
_FORM = "application/x-www-form-urlencoded"
PROBES = (
    Probe("POST /login", headers=_PLANTED, body=login_form(), media_type=_FORM),
    Probe(
        "GET /me",
        headers=_PLANTED,
        phase="security",
        scenario=facts("sessions", "fixation", planted={"sid": "planted-by-an-attacker"}),
    ),
)
__all__ = ["DEFECT", "PROBES", "SETTINGS", "clean", "defective"]


def defective() -> FastAPI:
    return session_app("console", SessionFlaws(adopt=True))


def clean() -> FastAPI:
    return session_app("console", SessionFlaws())
