"""CORS that echoes any Origin back, with credentials: every site can act as the user."""

from __future__ import annotations

from fastapi import FastAPI
from tests.corpus.apps._cors import ALLOWED, SETTINGS, catalogue, request_from

from assay.generation.security.cors import PROBE_ORIGIN

DEFECT = ("cors_origin_reflected", "GET /items")
PROBES = (request_from(PROBE_ORIGIN),)
__all__ = ["DEFECT", "PROBES", "SETTINGS", "clean", "defective"]


def defective() -> FastAPI:
    # DEFECT: "every origin matches" — the regex allows any site.
    return catalogue("shop", allow_origin_regex=".*", allow_credentials=True)


def clean() -> FastAPI:
    return catalogue("shop", allow_origins=[ALLOWED], allow_credentials=True)
