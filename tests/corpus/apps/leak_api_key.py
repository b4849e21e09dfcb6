"""A list of the account's integrations that shows each one's live API key in full."""

from __future__ import annotations

from fastapi import FastAPI
from pydantic import BaseModel
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("secret_exposed", "GET /integrations")
PROBES = (Probe("GET /integrations"),)

_KEYS = {
    "billing": "sk_live_4eC39HqLyjWDarjtT1zdp7dcQq",
    "mail": "sk_live_9fG72KpLmnWXbyzuV3aqr5hjTt",
}


class Integration(BaseModel):
    name: str
    api_key: str


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="integrations"))

    @app.get("/integrations")
    def integrations() -> list[Integration]:
        return [
            Integration(name=name, api_key=f"sk_live_****{key[-4:]}" if fixed else key)
            for name, key in _KEYS.items()
        ]

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
