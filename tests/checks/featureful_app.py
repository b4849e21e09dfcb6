"""A correct FastAPI service using many of FastAPI's features: no check may fire on it."""

# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

import enum
import uuid
from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import (
    APIRouter,
    Cookie,
    Depends,
    FastAPI,
    Form,
    Header,
    HTTPException,
    Query,
    Response,
    status,
)
from fastapi.responses import HTMLResponse, PlainTextResponse
from fastapi.security import OAuth2PasswordBearer
from pydantic import BaseModel, Field
from tests.corpus.apps._hardening import hardened

SCHEME = OAuth2PasswordBearer(tokenUrl="/token", auto_error=True)
ISSUED_TOKENS = {"token-of-ana": "ana"}


class Priority(enum.StrEnum):
    LOW = "low"
    HIGH = "high"


class TaskIn(BaseModel):
    title: str = Field(min_length=1, max_length=80)
    priority: Priority = Priority.LOW
    due: date | None = None
    tags: list[Annotated[str, Field(max_length=20)]] = Field(default_factory=list, max_length=5)
    owner: Annotated[str | None, Field(max_length=60, pattern=r"^[^@ ]+@[^@ ]+$")] = None


class Task(TaskIn):
    id: uuid.UUID
    created_at: datetime


class Missing(BaseModel):
    detail: str


NOT_FOUND = {404: {"model": Missing, "description": "No such task"}}


def create_app() -> FastAPI:
    app = hardened(FastAPI(title="featureful"))
    tasks: dict[uuid.UUID, Task] = {}
    router = APIRouter(prefix="/tasks", tags=["tasks"])

    @router.get("/")
    def list_tasks(
        priority: Priority | None = None,
        limit: Annotated[int, Query(ge=1, le=50)] = 20,
        offset: Annotated[int, Query(ge=0)] = 0,
        q: Annotated[str | None, Query(max_length=30)] = None,
    ) -> list[Task]:
        found = [t for t in tasks.values() if priority in (None, t.priority)]
        if q:
            found = [t for t in found if q in t.title]
        return found[offset : offset + limit]

    @router.post("/", status_code=status.HTTP_201_CREATED)
    def create(task: TaskIn, x_request_id: Annotated[str | None, Header()] = None) -> Task:
        made = Task(id=uuid.uuid4(), created_at=datetime.now(tz=UTC), **task.model_dump())
        tasks[made.id] = made
        return made

    @router.get("/{task_id}", responses=NOT_FOUND)  # type: ignore[arg-type]
    def read(task_id: uuid.UUID) -> Task:
        if task_id not in tasks:
            raise HTTPException(404, "no such task")
        return tasks[task_id]

    @router.put("/{task_id}", responses=NOT_FOUND)  # type: ignore[arg-type]
    def replace(task_id: uuid.UUID, task: TaskIn) -> Task:
        if task_id not in tasks:
            raise HTTPException(404, "no such task")
        tasks[task_id] = Task(id=task_id, created_at=tasks[task_id].created_at, **task.model_dump())
        return tasks[task_id]

    @router.delete("/{task_id}", status_code=204, responses=NOT_FOUND)  # type: ignore[arg-type]
    def delete(task_id: uuid.UUID) -> Response:
        if tasks.pop(task_id, None) is None:
            raise HTTPException(404, "no such task")
        return Response(status_code=204)

    app.include_router(router)

    @app.get("/me")
    def me(token: Annotated[str, Depends(SCHEME)]) -> dict[str, str]:
        # A correct service verifies the token (one that accepted any string would be
        # reported by the auth phase's invalid_credentials_accepted).
        if token not in ISSUED_TOKENS:
            raise HTTPException(401, "invalid token", headers={"WWW-Authenticate": "Bearer"})
        return {"user": ISSUED_TOKENS[token]}

    @app.post("/login")
    def login(
        username: Annotated[str, Form(max_length=40)], password: Annotated[str, Form()]
    ) -> dict[str, str]:
        return {"user": username}

    @app.get("/preferences")
    def preferences(theme: Annotated[str | None, Cookie(max_length=10)] = None) -> dict[str, str]:
        return {"theme": theme or "light"}

    @app.get("/about", response_class=HTMLResponse)
    def about() -> str:
        return "<h1>About</h1><p>A task list.</p>"

    @app.get("/version", response_class=PlainTextResponse)
    def version() -> str:
        return "1.0.0"

    return app
