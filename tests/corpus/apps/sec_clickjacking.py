"""An HTML page with a script policy but no frame protection: any site can frame it."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from tests.checks.bench import Probe
from tests.corpus.apps._security import facts, harden

DEFECT = ("missing_frame_protection", "GET /page")
SETTINGS = {"phases": ("security",)}
PROBES = (
    Probe(
        "GET /page",
        headers={"Accept": "text/html"},
        phase="security",
        scenario=facts("headers", "page"),
    ),
)


def _app(*, fixed: bool) -> FastAPI:
    app = FastAPI(title="console")
    policy = "default-src 'self'" + ("; frame-ancestors 'none'" if fixed else "")
    harden(app, omit=("X-Frame-Options",), extra={"Content-Security-Policy": policy})

    @app.get("/page", response_class=HTMLResponse)
    def page() -> str:
        return "<html><body><button>Delete my account</button></body></html>"

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
