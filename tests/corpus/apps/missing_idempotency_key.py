"""A payment endpoint that documents a required Idempotency-Key and never checks it."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from tests.checks.bench import Probe
from tests.corpus.apps._documents import VALIDATION_ERROR, json_body, parse
from tests.corpus.apps._hardening import hardened

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


class Conflict(BaseModel):
    detail: str


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
    app = hardened(FastAPI(title="payments"))
    made: list[int] = []
    by_key: dict[str, tuple[bytes, JSONResponse]] = {}

    @app.post(
        "/payments",
        status_code=201,
        openapi_extra=_DOCUMENTED,
        responses={201: {"model": Payment}, 409: {"model": Conflict}, **VALIDATION_ERROR},
        response_model=None,
    )
    async def pay(request: Request) -> JSONResponse:
        key = request.headers.get("idempotency-key", "")
        if fixed and not 1 <= len(key) <= 64:
            invalid = {"loc": ["header", "Idempotency-Key"], "msg": "1 to 64 characters"}
            return JSONResponse({"detail": [{**invalid, "type": "value_error"}]}, 422)
        payment = await parse(PaymentIn, request)
        if isinstance(payment, JSONResponse):
            return payment
        body = await request.body()
        if key in by_key:
            first, answer = by_key[key]
            if first == body:
                return answer
            return JSONResponse({"detail": "key already used for another payment"}, 409)
        made.append(len(made) + 1)
        answer = JSONResponse({"id": made[-1], "amount": payment.amount}, status_code=201)
        if key:
            by_key[key] = (body, answer)
        return answer

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
