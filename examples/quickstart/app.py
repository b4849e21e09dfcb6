"""Tasks: a small, correct FastAPI service with OAuth2 password login.

Users sign in at ``POST /token`` (form fields ``username`` and ``password``) and get a
bearer token; each user sees and changes only their own tasks. Run it with
``uvicorn examples.quickstart.app:app`` or load it in-process with assay.
"""

from __future__ import annotations

import itertools
import secrets
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Query, Response, status
from fastapi.security import OAuth2PasswordBearer, OAuth2PasswordRequestForm
from pydantic import BaseModel, Field

USERS = {"ana@example.com": "ana-password", "ben@example.com": "ben-password"}


class TaskIn(BaseModel):
    title: str = Field(min_length=1, max_length=200, examples=["Write the release notes"])
    done: bool = False


class Task(TaskIn):
    id: int
    owner: str


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int = 3600


class Store:
    """Tasks and tokens in memory (one per app)."""

    def __init__(self) -> None:
        self.tasks: dict[int, Task] = {}
        self.tokens: dict[str, str] = {}
        self.ids = itertools.count(1)


app = FastAPI(
    title="Tasks",
    version="1.0.0",
    description="A to-do list per user; the assay quickstart target.",
)
store = Store()
oauth2 = OAuth2PasswordBearer(tokenUrl="/token")
UNAUTHORIZED = {401: {"description": "Missing or invalid bearer token."}}
NOT_FOUND = {404: {"description": "No task with this id belongs to you."}}


def current_user(token: Annotated[str, Depends(oauth2)]) -> str:
    user = store.tokens.get(token)
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "invalid or expired token",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user


User = Annotated[str, Depends(current_user)]


def owned_task(task_id: int, user: User) -> Task:
    task = store.tasks.get(task_id)
    if task is None or task.owner != user:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"task {task_id} not found")
    return task


@app.post(
    "/token",
    operation_id="login",
    summary="Exchange a username and password for a bearer token",
    responses={400: {"description": "Wrong username or password."}},
)
def login(form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> Token:
    expected = USERS.get(form.username)
    if expected is None or not secrets.compare_digest(expected, form.password):
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "wrong username or password")
    token = secrets.token_urlsafe(24)
    store.tokens[token] = form.username
    return Token(access_token=token)


@app.get("/tasks", operation_id="listTasks", summary="List your tasks", responses=UNAUTHORIZED)
def list_tasks(
    user: User,
    done: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> list[Task]:
    mine = [t for t in store.tasks.values() if t.owner == user]
    return [t for t in mine if done is None or t.done == done][:limit]


@app.post(
    "/tasks",
    operation_id="createTask",
    summary="Create a task",
    status_code=status.HTTP_201_CREATED,
    responses=UNAUTHORIZED,
)
def create_task(body: TaskIn, user: User, response: Response) -> Task:
    task = Task(id=next(store.ids), owner=user, **body.model_dump())
    store.tasks[task.id] = task
    response.headers["Location"] = f"/tasks/{task.id}"
    return task


@app.get(
    "/tasks/{task_id}",
    operation_id="getTask",
    summary="Read one of your tasks",
    responses={**UNAUTHORIZED, **NOT_FOUND},
)
def get_task(task: Annotated[Task, Depends(owned_task)]) -> Task:
    return task


@app.put(
    "/tasks/{task_id}",
    operation_id="updateTask",
    summary="Replace one of your tasks",
    responses={**UNAUTHORIZED, **NOT_FOUND},
)
def update_task(body: TaskIn, task: Annotated[Task, Depends(owned_task)]) -> Task:
    updated = task.model_copy(update=body.model_dump())
    store.tasks[task.id] = updated
    return updated


@app.delete(
    "/tasks/{task_id}",
    operation_id="deleteTask",
    summary="Delete one of your tasks",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={**UNAUTHORIZED, **NOT_FOUND},
)
def delete_task(task: Annotated[Task, Depends(owned_task)]) -> None:
    del store.tasks[task.id]
