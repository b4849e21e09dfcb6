"""Small ASGI apps the loading tests import by import string (tests.spec.apps:…)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Bare ASGI", "version": "1"},
    "paths": {"/ping": {"get": {"responses": {"200": {"description": "pong"}}}}},
}


class Item(BaseModel):
    id: int
    name: str


def create_app() -> FastAPI:
    """A FastAPI app factory."""
    app = FastAPI(title="Items")

    @app.get("/items/{item_id}", response_model=Item)
    def get_item(item_id: int) -> Item:
        return Item(id=item_id, name="x")

    return app


app = create_app()


async def bare_app(scope: Scope, receive: Receive, send: Send) -> None:
    """A plain ASGI app that serves its document at /openapi.json and 404 elsewhere."""
    assert scope["type"] == "http"
    if scope["path"] == "/openapi.json":
        status, body = 200, json.dumps(DOCUMENT).encode()
    else:
        status, body = 404, b'{"detail": "Not Found"}'
    headers = [(b"content-type", b"application/json")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def no_document_app(scope: Scope, receive: Receive, send: Send) -> None:
    """A plain ASGI app without an OpenAPI document."""
    await send({"type": "http.response.start", "status": 404, "headers": []})
    await send({"type": "http.response.body", "body": b""})


def not_a_factory() -> str:
    return "not an app"


def broken_factory() -> FastAPI:
    raise RuntimeError("database URL is not set")


NOT_AN_APP = 42
