"""A document store whose 404 names the file it looked for on the server's disk."""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, HTTPException, Path
from pydantic import BaseModel
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("file_path_leak", "GET /documents/{name}")
PROBES = (Probe("GET /documents/{name}", path={"name": "contract"}),)

_ROOT = "/srv/shop/documents"


class Document(BaseModel):
    name: str
    text: str


class Missing(BaseModel):
    detail: str


_DOCUMENTS = {"terms": Document(name="terms", text="Be nice.")}


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="documents"))

    @app.get("/documents/{name}", responses={404: {"model": Missing}})
    def read(name: Annotated[str, Path(pattern=r"^[a-z]{1,20}$")]) -> Document:
        if name not in _DOCUMENTS:
            where = f"{_ROOT}/{name}.txt"
            detail = "no such document" if fixed else f"[Errno 2] No such file: '{where}'"
            raise HTTPException(404, detail)
        return _DOCUMENTS[name]

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
