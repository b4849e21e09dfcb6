"""A hand-written CORS header pair: any origin (``*``) and credentials at the same time."""

from __future__ import annotations

from fastapi import FastAPI, Request, Response
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from tests.corpus.apps._cors import ALLOWED, SETTINGS, catalogue, request_from

from assay.generation.security.cors import PROBE_ORIGIN

DEFECT = ("cors_wildcard_with_credentials", "GET /items")
PROBES = (request_from(PROBE_ORIGIN),)
__all__ = ["DEFECT", "PROBES", "SETTINGS", "clean", "defective"]


def _app(*, fixed: bool) -> FastAPI:
    app = catalogue("catalogue", allow_origins=[ALLOWED])

    async def open_to_all(request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        if "origin" in request.headers:
            response.headers["Access-Control-Allow-Origin"] = "*"
            if not fixed:  # DEFECT: credentials for every origin
                response.headers["Access-Control-Allow-Credentials"] = "true"
        return response

    app.add_middleware(BaseHTTPMiddleware, dispatch=open_to_all)
    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    # A public, read-only answer: any site may read it, without credentials.
    return _app(fixed=True)
