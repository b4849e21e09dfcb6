"""A JSON API whose 404 comes back as an HTML page (a template left from a web app)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("undocumented_content_type", "GET /pages/{slug}")
PROBES = (Probe("GET /pages/{slug}", path={"slug": "missing"}),)


class Page(BaseModel):
    slug: str
    body: str


class Missing(BaseModel):
    detail: str


_PAGES = {"about": Page(slug="about", body="We sell things.")}


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="pages"))

    @app.get("/pages/{slug}", response_model=Page, responses={404: {"model": Missing}})
    def page(slug: str) -> Response:
        found = _PAGES.get(slug)
        if found is not None:
            return JSONResponse(found.model_dump())
        if fixed:
            return JSONResponse({"detail": "no such page"}, status_code=404)
        return HTMLResponse("<html><body><h1>Page not found</h1></body></html>", 404)

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
