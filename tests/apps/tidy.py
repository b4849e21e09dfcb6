"""A small, well-documented app: `assay spec` finds no problem in it."""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, HTTPException, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel

app = FastAPI(title="Tidy", version="1.0.0")
bearer = HTTPBearer()


class Note(BaseModel):
    id: int
    text: str


NOT_FOUND = {404: {"description": "No note with this id."}}


@app.get("/notes/{note_id}", operation_id="getNote", summary="Read a note", responses=NOT_FOUND)
def get_note(note_id: int) -> Note:
    if note_id != 1:
        raise HTTPException(404, "no such note")
    return Note(id=1, text="hello")


@app.delete(
    "/notes/{note_id}",
    operation_id="deleteNote",
    summary="Delete a note",
    status_code=204,
    responses=NOT_FOUND,
)
def delete_note(
    note_id: int, credentials: Annotated[HTTPAuthorizationCredentials, Security(bearer)]
) -> None:
    if note_id != 1:
        raise HTTPException(404, "no such note")
