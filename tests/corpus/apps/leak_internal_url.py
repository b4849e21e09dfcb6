"""An invoice renderer whose outage answer names the internal rendering service's URL."""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, HTTPException, Path
from pydantic import BaseModel
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("internal_address_exposed", "GET /invoices/{invoice_id}/pdf")
PROBES = (Probe("GET /invoices/{invoice_id}/pdf", path={"invoice_id": 3}),)

_RENDERER = "http://pdf-renderer.billing.svc.cluster.local:8080/render"


class Unavailable(BaseModel):
    detail: str


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="invoices"))

    @app.get("/invoices/{invoice_id}/pdf", responses={503: {"model": Unavailable}})
    def render(invoice_id: Annotated[int, Path(ge=1)]) -> dict[str, str]:
        detail = (
            "the invoice renderer is unavailable; retry later"
            if fixed
            else f"renderer unreachable: POST {_RENDERER} (connect timeout after 2s)"
        )
        raise HTTPException(503, detail, headers={"Retry-After": "30"})

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
