"""A notes API with switchable state defects, for the stateful phase and the state checks.

`make_app()` is a correct service: notes are owned (``owner`` is set by the server from
the bearer token), each identity lists and reads only its own, PATCH applies, DELETE
deletes, and a POST with an ``Idempotency-Key`` seen before answers the first result.
Each keyword switches on one defect.
"""

import contextlib
import itertools
import threading
import time
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

TOKENS = {"t1": "ana", "t2": "ben"}


class NoteIn(BaseModel):
    title: str = Field(min_length=1, max_length=40)
    text: str = Field(max_length=200)
    priority: int = Field(ge=1, le=5)


class NotePatch(BaseModel):
    title: str | None = Field(default=None, min_length=1, max_length=40)
    text: str | None = Field(default=None, max_length=200)
    priority: int | None = Field(default=None, ge=1, le=5)


class Note(NoteIn):
    id: int
    owner: str
    deleted: bool = False


def make_app(
    *,
    lose_create: bool = False,
    drop_field: bool = False,
    ignore_update: bool = False,
    keep_deleted: bool = False,
    shared_reads: bool = False,
    charge_twice: bool = False,
    stale_list: bool = False,
    slow_visibility: bool = False,
    soft_delete: bool = False,
) -> FastAPI:
    app = FastAPI(title="Notes", version="1")
    notes: dict[int, dict[str, Any]] = {}
    keys: dict[tuple[str, str], dict[str, Any]] = {}
    ids = itertools.count(1)
    lock = threading.Lock()
    seen: set[int] = set()
    bearer = HTTPBearer()

    def caller(creds: Annotated[HTTPAuthorizationCredentials, Depends(bearer)]) -> str:
        user = TOKENS.get(creds.credentials)
        if user is None:
            raise HTTPException(401, "unknown token")
        return user

    def owned(note_id: int, user: str, *, reading: bool = False) -> dict[str, Any]:
        note = notes.get(note_id)
        if note is None or (note["owner"] != user and not (reading and shared_reads)):
            raise HTTPException(404, "no such note")
        return note

    missing = {404: {"description": "No such note"}}

    @app.post("/notes", status_code=201, response_model=Note, operation_id="createNote")
    def create_note(
        body: NoteIn,
        user: Annotated[str, Depends(caller)],
        idempotency_key: Annotated[str | None, Header(max_length=64)] = None,
    ) -> dict[str, Any]:
        with lock if not charge_twice else contextlib.nullcontext():
            if idempotency_key and (user, idempotency_key) in keys and not charge_twice:
                return keys[(user, idempotency_key)]
            if charge_twice:
                time.sleep(0.01)  # widen the window the missing lock leaves open
            note = {**body.model_dump(), "id": next(ids), "owner": user, "deleted": False}
            if not lose_create:
                notes[note["id"]] = {**note, "text": ""} if drop_field else dict(note)
            if idempotency_key:
                keys[(user, idempotency_key)] = note
            return note

    @app.get("/notes", response_model=list[Note], operation_id="listNotes")
    def list_notes(user: Annotated[str, Depends(caller)]) -> list[dict[str, Any]]:
        mine = [n for n in notes.values() if n["owner"] == user]
        return mine[:-1] if stale_list else mine

    @app.get("/notes/{note_id}", response_model=Note, responses=missing, operation_id="getNote")
    def get_note(note_id: int, user: Annotated[str, Depends(caller)]) -> dict[str, Any]:
        if slow_visibility and note_id not in seen:
            seen.add(note_id)  # the first read of each note comes from a lagging replica
            raise HTTPException(404, "no such note")
        return owned(note_id, user, reading=True)

    @app.patch("/notes/{note_id}", response_model=Note, responses=missing, operation_id="patchNote")
    def patch_note(
        note_id: int, body: NotePatch, user: Annotated[str, Depends(caller)]
    ) -> dict[str, Any]:
        note = owned(note_id, user)
        changed = {**note, **body.model_dump(exclude_none=True)}
        if not ignore_update:
            note.update(changed)
        return changed

    @app.delete("/notes/{note_id}", status_code=204, responses=missing, operation_id="deleteNote")
    def delete_note(note_id: int, user: Annotated[str, Depends(caller)]) -> Response:
        note = owned(note_id, user)
        if soft_delete:
            note["deleted"] = True
        elif not keep_deleted:
            del notes[note_id]
        return Response(status_code=204)

    return app
