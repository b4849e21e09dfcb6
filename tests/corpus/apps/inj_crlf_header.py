"""A language switch that writes the caller's choice into a raw header block.

The handler builds its headers as text lines, as a hand-written HTTP writer would, so
a line break in the value starts a header of the caller's making.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, Query, Response
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("header_injection", "GET /language")
PROBES = (Probe("GET /language", query={"lang": "en\r\nX-Assay-Injected: crlf"}, phase="security"),)
SETTINGS = {"phases": ("examples", "security")}


def _headers(block: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in block.split("\r\n"):
        name, _, value = line.partition(":")
        if value:
            found[name.strip()] = value.strip()
    return found


def _app(*, fixed: bool) -> FastAPI:
    app = FastAPI(title="language")

    @app.get("/language", status_code=204, response_class=Response)
    def language(lang: Annotated[str, Query(min_length=1, max_length=60)]) -> Response:
        if fixed:
            lang = lang.replace("\r", "").replace("\n", "")
        block = f"Content-Language: {lang}\r\nVary: Accept-Language"
        return Response(status_code=204, headers=_headers(block))

    return app


def defective() -> FastAPI:
    return hardened(_app(fixed=False))


def clean() -> FastAPI:
    return hardened(_app(fixed=True))
