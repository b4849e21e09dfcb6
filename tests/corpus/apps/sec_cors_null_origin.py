"""CORS that allows the ``null`` origin (kept from local testing with file: pages)."""

from __future__ import annotations

from fastapi import FastAPI
from tests.corpus.apps._cors import ALLOWED, SETTINGS, catalogue, request_from

DEFECT = ("cors_null_origin", "GET /items")
PROBES = (request_from("null"),)
__all__ = ["DEFECT", "PROBES", "SETTINGS", "clean", "defective"]


def defective() -> FastAPI:
    return catalogue("shop", allow_origins=[ALLOWED, "null"], allow_credentials=True)


def clean() -> FastAPI:
    return catalogue("shop", allow_origins=[ALLOWED], allow_credentials=True)
