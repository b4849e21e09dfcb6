"""The CORS corpus apps' shared service: a small catalogue behind configurable CORS."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel
from starlette.middleware.cors import CORSMiddleware
from tests.checks.bench import Probe
from tests.corpus.apps._security import facts, harden

from assay.config import SecurityConfig
from assay.generation.security.cors import PROBE_HEADER

__all__ = ["ALLOWED", "SETTINGS", "catalogue", "preflight", "request_from"]

ALLOWED = "https://app.example"
SETTINGS: dict[str, Any] = {
    "phases": ("security",),
    "security": SecurityConfig(cors_origins=[ALLOWED]),
}


class Item(BaseModel):
    name: str


def catalogue(title: str, **cors: Any) -> FastAPI:
    """GET and POST /items with Starlette's CORS middleware configured by `cors`."""
    app = FastAPI(title=title)
    harden(app)
    app.add_middleware(CORSMiddleware, **cors)

    @app.get("/items", response_model=list[Item])
    def items() -> list[Item]:
        return [Item(name="lamp")]

    @app.post("/items", response_model=Item, status_code=201)
    def add(item: Item) -> Item:
        return item

    return app


def request_from(origin: str) -> Probe:
    """A GET /items from `origin`, as the CORS probe sends it."""
    step = "null" if origin == "null" else "foreign"
    return Probe(
        "GET /items",
        headers={"Origin": origin},
        phase="security",
        scenario=facts("cors", step, origin=origin, allowed=[ALLOWED]),
    )


def preflight(asked: str, method: str, *, header: bool) -> Probe:
    """A preflight from the allowed origin for `method` (and the probe's header)."""
    headers = {"Origin": ALLOWED, "Access-Control-Request-Method": method}
    if header:
        headers["Access-Control-Request-Headers"] = PROBE_HEADER.lower()
    return Probe(
        "GET /items",
        method="OPTIONS",
        headers=headers,
        phase="security",
        scenario=facts(
            "cors",
            "preflight",
            origin=ALLOWED,
            allowed=[ALLOWED],
            asked=asked,
            method=method,
            header=PROBE_HEADER,
        ),
    )
