"""A landing page that shows the campaign header it was sent, unescaped."""

from __future__ import annotations

import html
from typing import Annotated

from fastapi import FastAPI, Header
from fastapi.responses import HTMLResponse
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("reflected_input", "GET /welcome")
PROBES = (Probe("GET /welcome", headers={"X-Campaign": "spring<assay-probe/>"}, phase="security"),)
SETTINGS = {"phases": ("examples", "security")}


def _app(*, fixed: bool) -> FastAPI:
    app = FastAPI(title="landing")

    @app.get("/welcome", response_class=HTMLResponse)
    def welcome(x_campaign: Annotated[str, Header(max_length=60)] = "direct") -> str:
        shown = html.escape(x_campaign) if fixed else x_campaign
        return f"<html><body><p>Welcome (campaign {shown})</p></body></html>"

    return app


def defective() -> FastAPI:
    return hardened(_app(fixed=False))


def clean() -> FastAPI:
    return hardened(_app(fixed=True))
