"""A DELETE left out of the spec (include_in_schema=False) that still deletes."""

from __future__ import annotations

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("undeclared_method", "GET /notes/{note_id}")
PROBES = (
    Probe(
        "GET /notes/{note_id}",
        path={"note_id": 1},
        method="DELETE",
        kind="negative",
        phase="semantics",
    ),
)


class Note(BaseModel):
    id: int
    text: str


class Missing(BaseModel):
    detail: str


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="notes"))
    notes = {1: Note(id=1, text="hello")}

    @app.get("/notes/{note_id}", responses={404: {"model": Missing}})
    def read(note_id: int) -> Note:
        if note_id not in notes:
            raise HTTPException(404, "no such note")
        return notes[note_id]

    if not fixed:

        @app.delete("/notes/{note_id}", include_in_schema=False, status_code=204)
        def purge(note_id: int) -> None:
            notes.pop(note_id, None)

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
