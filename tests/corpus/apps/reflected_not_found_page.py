"""A wiki whose HTML 404 page repeats the requested title unescaped."""

from __future__ import annotations

import html

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("reflected_input", "GET /wiki/{title}")
PROBES = (Probe("GET /wiki/{title}", path={"title": "Teapots"}),)

_PAGES = {"Home": "<h1>Home</h1><p>Welcome.</p>"}
_PAGE = {"content": {"text/html": {"schema": {"type": "string"}}}, "description": "Not found"}


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="wiki"))

    @app.get("/wiki/{title}", response_class=HTMLResponse, responses={404: _PAGE})
    def page(title: str) -> HTMLResponse:
        if title in _PAGES:
            return HTMLResponse(_PAGES[title])
        shown = html.escape(title) if fixed else title
        return HTMLResponse(f"<h1>{shown}</h1><p>This page does not exist yet.</p>", 404)

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
