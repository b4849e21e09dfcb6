"""A greeting rendered by compiling the caller's name into the Jinja2 template source."""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, Query
from jinja2.sandbox import SandboxedEnvironment
from pydantic import BaseModel
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("template_injection", "GET /greeting")
PROBES = (Probe("GET /greeting", query={"name": "Ana{{7*191}}"}, phase="security"),)
SETTINGS = {"phases": ("examples", "security")}


class Greeting(BaseModel):
    text: str


def _app(*, fixed: bool) -> FastAPI:
    app = FastAPI(title="greetings")
    templates = SandboxedEnvironment(autoescape=True)

    @app.get("/greeting")
    def greeting(name: Annotated[str, Query(min_length=1, max_length=60)]) -> Greeting:
        if fixed:
            text = templates.from_string("Hello {{ name }}!").render(name=name)
        else:
            try:
                text = templates.from_string("Hello " + name + "!").render()
            except Exception:  # a broken template renders as plain text
                text = f"Hello {name}!"
        return Greeting(text=text)

    return app


def defective() -> FastAPI:
    return hardened(_app(fixed=False))


def clean() -> FastAPI:
    return hardened(_app(fixed=True))
