"""A create operation that documents a Location header and does not send it."""

from __future__ import annotations

from fastapi import FastAPI, Response
from pydantic import BaseModel, Field
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("missing_response_header", "POST /notes")
PROBES = (Probe("POST /notes", body={"text": "remember the milk"}),)


class NoteIn(BaseModel):
    text: str = Field(min_length=1, max_length=200)


class Note(BaseModel):
    id: int
    text: str


_CREATED = {
    "description": "Created",
    "headers": {"Location": {"required": True, "schema": {"type": "string"}}},
}


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="notes"))
    notes: list[Note] = []

    @app.post("/notes", status_code=201, responses={201: _CREATED})
    def create(note: NoteIn, response: Response) -> Note:
        created = Note(id=len(notes) + 1, text=note.text)
        notes.append(created)
        if fixed:
            response.headers["Location"] = f"/notes/{created.id}"
        return created

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
