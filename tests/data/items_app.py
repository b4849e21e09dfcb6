"""A small items API for the cleanup tests: created items, deletable through the spec."""

from __future__ import annotations

import itertools

from fastapi import FastAPI, HTTPException, Response
from pydantic import BaseModel


class ItemIn(BaseModel):
    name: str


class Item(BaseModel):
    id: int
    name: str


class Note(BaseModel):
    key: str
    text: str


NOT_FOUND = {404: {"description": "No such item."}}
LOCKED = "locked"
"""An item with this name refuses to be deleted (409), to show what is reported."""


def make_app() -> FastAPI:
    """A fresh app with empty stores: items (Location header), notes (id in the body)."""
    app = FastAPI(title="Items", version="1.0.0")
    items: dict[int, Item] = {}
    notes: dict[str, Note] = {}
    ids = itertools.count(1)
    app.state.items = items
    app.state.notes = notes
    app.state.deleted = []

    @app.post("/items", status_code=201, operation_id="createItem")
    def create_item(body: ItemIn, response: Response) -> Item:
        item = Item(id=next(ids), name=body.name)
        items[item.id] = item
        response.headers["Location"] = f"/items/{item.id}"
        return item

    @app.get("/items", operation_id="listItems")
    def list_items() -> list[Item]:
        return list(items.values())

    @app.delete(
        "/items/{item_id}",
        status_code=204,
        operation_id="deleteItem",
        responses={**NOT_FOUND, 409: {"description": "The item is locked."}},
    )
    def delete_item(item_id: int) -> None:
        item = items.get(item_id)
        if item is None:
            raise HTTPException(404, "no such item")
        if item.name == LOCKED:
            raise HTTPException(409, "locked")
        del items[item_id]
        app.state.deleted.append(f"/items/{item_id}")

    @app.post("/notes", status_code=201, operation_id="createNote")
    def create_note(body: Note) -> Note:
        notes[body.key] = body
        return body

    @app.delete("/notes/{key}", status_code=204, operation_id="deleteNote", responses=NOT_FOUND)
    def delete_note(key: str) -> None:
        if notes.pop(key, None) is None:
            raise HTTPException(404, "no such note")
        app.state.deleted.append(f"/notes/{key}")

    @app.post("/searches", operation_id="search")
    def search(body: ItemIn) -> list[Item]:
        return [item for item in items.values() if item.name == body.name]

    return app
