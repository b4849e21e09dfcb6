"""A search results page that pastes the query into HTML unescaped."""

from __future__ import annotations

import html
from typing import Annotated

from fastapi import FastAPI, Query
from fastapi.responses import HTMLResponse
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("reflected_input", "GET /search")
PROBES = (Probe("GET /search", query={"q": "<b onmouseover=alert(1)>lamp</b>"}),)


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="search"))

    @app.get("/search", response_class=HTMLResponse)
    def search(q: Annotated[str, Query(max_length=100)] = "") -> str:
        shown = html.escape(q) if fixed else q
        return f"<html><body><p>No results for {shown}</p></body></html>"

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
