"""One router written by another team answers errors as {"error": ...}, the rest {"detail": ...}."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, HTTPException
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("inconsistent_error_format", "GET /coupons/{code}")
SAME_SPEC = False
PROBES = (
    Probe("GET /stores/{store_id}", path={"store_id": 9}),
    Probe("GET /brands/{brand_id}", path={"brand_id": 9}),
    Probe("GET /coupons/{code}", path={"code": "NOPE"}),
)


class Item(BaseModel):
    id: int
    name: str


class Coupon(BaseModel):
    code: str
    percent: int


class Missing(BaseModel):
    detail: str


class Failure(BaseModel):
    error: str


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="catalogue"))
    missing: dict[int | str, Any] = {404: {"model": Missing if fixed else Failure}}

    @app.get("/stores/{store_id}", responses={404: {"model": Missing}})
    def store(store_id: int) -> Item:
        raise HTTPException(404, "no such store")

    @app.get("/brands/{brand_id}", responses={404: {"model": Missing}})
    def brand(brand_id: int) -> Item:
        raise HTTPException(404, "no such brand")

    @app.get("/coupons/{code}", response_model=Coupon, responses=missing)
    def coupon(code: str) -> JSONResponse:
        if fixed:
            return JSONResponse({"detail": "no such coupon"}, status_code=404)
        return JSONResponse({"error": "coupon not found"}, status_code=404)

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
