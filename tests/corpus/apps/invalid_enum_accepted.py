"""A status field documented as an enum, stored as any string."""

from __future__ import annotations

from typing import Literal

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from tests.checks.bench import Probe
from tests.corpus.apps._documents import VALIDATION_ERROR, json_body, parse
from tests.corpus.apps._hardening import hardened

DEFECT = ("invalid_input_accepted", "POST /tickets")
PROBES = (
    Probe(
        "POST /tickets",
        body={"title": "printer", "status": "on-fire"},
        kind="negative",
        mutation="body/status: not an enum member",
    ),
)


class Ticket(BaseModel):
    title: str = Field(min_length=1, max_length=80)
    status: Literal["open", "closed"]


class LaxTicket(BaseModel):
    title: str = Field(min_length=1, max_length=80)
    status: str


def _app(*, fixed: bool) -> FastAPI:
    app = hardened(FastAPI(title="tickets"))
    model = Ticket if fixed else LaxTicket

    @app.post(
        "/tickets",
        openapi_extra=json_body(Ticket),
        responses={200: {"model": Ticket}, **VALIDATION_ERROR},
        response_model=None,
    )
    async def open_ticket(request: Request) -> JSONResponse:
        ticket = await parse(model, request)
        if isinstance(ticket, JSONResponse):
            return ticket
        return JSONResponse(ticket.model_dump())

    return app


def defective() -> FastAPI:
    return _app(fixed=False)


def clean() -> FastAPI:
    return _app(fixed=True)
