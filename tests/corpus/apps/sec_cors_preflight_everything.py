"""CORS preflights that grant every method and every header to the allowed site."""

from __future__ import annotations

from fastapi import FastAPI
from tests.corpus.apps._cors import ALLOWED, SETTINGS, catalogue, preflight

DEFECT = ("cors_preflight_too_permissive", "GET /items")
PROBES = (preflight("method", "DELETE", header=False), preflight("header", "GET", header=True))
__all__ = ["DEFECT", "PROBES", "SETTINGS", "clean", "defective"]


def defective() -> FastAPI:
    return catalogue(
        "shop",
        allow_origins=[ALLOWED],
        allow_methods=["*"],
        allow_headers=["*"],
        allow_credentials=True,
    )


def clean() -> FastAPI:
    return catalogue(
        "shop",
        allow_origins=[ALLOWED],
        allow_methods=["GET", "POST"],
        allow_headers=["Content-Type", "Authorization"],
        allow_credentials=True,
    )
