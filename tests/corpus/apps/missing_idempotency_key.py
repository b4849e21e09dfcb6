"""A payment endpoint that documents a required Idempotency-Key and never checks it."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from tests.checks.bench import Probe
from tests.corpus.apps._documents import VALIDATION_ERROR, json_body, parse

DEFECT = ("missing_required_header_accepted", "POST /payments")
PROBES = (
    Probe(
        "POST /payments",
        body={"amount": 10},
        kind="negative",
        mutation="header Idempotency-Key: missing",
    ),
)


class PaymentIn(BaseModel):
    amount: int = Field(ge=1, le=10_000)


class Payment(BaseModel):
    id: int
    amount: int


_DOCUMENTED = {
    **json_body(PaymentIn),
    "parameters": [
        {
            "name": "Idempotency-Key",
            "in": "header",
            "required": True,
            "schema": {"type": "string", "minLength": 1, "maxLength": 64},
        }
    ],
}


def _app(*, fixed: bool) -> FastAPI:
    app = FastAPI(title="payments")
    made: list[int] = []

    @app.post(
        "/payments",
        status_code=201,
        openapi_extra=_DOCUMENTED,
        responses={201: {"model": Payment}, **VALIDATION_ERROR},
        response_model=None,
    )
    async def pay(request: Request) -> JSONResponse:
        key = request.headers.get("idempotency-key")
        if fixed and not key:
            missing = {"loc": ["header", "Idempotency-Key"], "msg": "Field required"}
            return JSONResponse({"detail": [{**missing, "type": "missing"}]}, status_code=422)
        payment = await parse(PaymentIn, request)
        if isinstance(payment, JSONResponse):
            return payment
        made.append(len(made) + 1)
        return JSONResponse({"id": made[-1], "amount": payment.amount}, status_code=201)

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
