"""A small FastAPI app that exercises what the client must handle (importable by tests)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Cookie, Depends, FastAPI, Header, HTTPException, Query, Request, Response
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from pydantic import BaseModel


class Note(BaseModel):
    id: int
    title: str


class NoteIn(BaseModel):
    title: str


security = HTTPBasic()


def get_repository() -> dict[int, Note]:
    raise RuntimeError("the real repository is not available in tests; override it")


def make_app(events: list[str] | None = None) -> FastAPI:
    log = events if events is not None else []

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        log.append("startup")
        yield
        log.append("shutdown")

    app = FastAPI(lifespan=lifespan)
    notes: dict[int, Note] = {1: Note(id=1, title="first")}

    @app.get("/notes/{note_id}", operation_id="getNote", responses={404: {"description": "no"}})
    async def get_note(note_id: int) -> Note:
        if note_id not in notes:
            raise HTTPException(404, f"note {note_id} not found")
        return notes[note_id]

    @app.post("/notes", operation_id="createNote", status_code=201)
    async def create_note(body: NoteIn, response: Response) -> Note:
        note = Note(id=max(notes) + 1, title=body.title)
        notes[note.id] = note
        response.headers["Location"] = f"/notes/{note.id}"
        return note

    @app.get("/search", operation_id="search")
    async def search(
        tags: Annotated[list[str], Query()] = [],  # noqa: B006 - FastAPI's idiom
        limit: int = 10,
    ) -> dict[str, Any]:
        return {"tags": tags, "limit": limit}

    @app.get("/echo/headers", operation_id="echoHeaders")
    async def echo_headers(
        request: Request,
        x_trace: Annotated[str | None, Header()] = None,
        session: Annotated[str | None, Cookie()] = None,
    ) -> dict[str, Any]:
        return {
            "x_trace": x_trace,
            "session": session,
            "authorization": request.headers.get("authorization"),
            "api_key": request.headers.get("x-api-key"),
            "query": dict(request.query_params),
            "cookies": dict(request.cookies),
        }

    @app.get("/repository/{note_id}", operation_id="fromRepository")
    def from_repository(
        note_id: int, repo: Annotated[dict[int, Note], Depends(get_repository)]
    ) -> Note:
        return repo[note_id]

    @app.post("/login", operation_id="login")
    async def login(response: Response) -> dict[str, bool]:
        response.set_cookie("session", "s-123", httponly=True)
        return {"ok": True}

    @app.get("/whoami", operation_id="whoami")
    def whoami(credentials: Annotated[HTTPBasicCredentials, Depends(security)]) -> dict[str, str]:
        return {"user": credentials.username}

    @app.get("/boom", operation_id="boom")
    async def boom() -> None:
        raise ZeroDivisionError("the app divided by zero")

    return app
