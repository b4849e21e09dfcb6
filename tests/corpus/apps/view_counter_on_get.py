"""Reading the featured article bumps its view counter, and the body shows it."""

from __future__ import annotations

from fastapi import FastAPI
from pydantic import BaseModel
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("get_not_idempotent", "GET /articles/featured")
PROBES = (Probe("GET /articles/featured"),)


class Article(BaseModel):
    id: int
    title: str
    views: int


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="articles"))
    article = Article(id=1, title="Spring sale", views=100)

    @app.get("/articles/featured")
    def featured() -> Article:
        if not fixed:
            article.views += 1
        return article

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
