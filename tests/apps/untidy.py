"""An app whose document has an error (a duplicate operationId) and warnings."""

from __future__ import annotations

from fastapi import FastAPI

app = FastAPI(title="Untidy", version="0.1.0")


@app.get("/a", operation_id="same")
def first() -> dict[str, str]:
    return {}


@app.get("/b", operation_id="same")
def second() -> dict[str, str]:
    return {}
