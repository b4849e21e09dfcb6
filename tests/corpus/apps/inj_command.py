"""A diagnostics endpoint that runs ``echo`` through a shell with the caller's text."""

from __future__ import annotations

import subprocess

from fastapi import FastAPI
from pydantic import BaseModel, Field
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("command_injection", "POST /diagnostics/echo")
PROBES = (
    Probe(
        "POST /diagnostics/echo",
        body={"message": "hello;echo assay$((4321+1234))"},
        phase="security",
    ),
)
SETTINGS = {"phases": ("examples", "security")}


class EchoRequest(BaseModel):
    message: str = Field(min_length=1, max_length=80)


class EchoResult(BaseModel):
    output: str


def _app(*, fixed: bool) -> FastAPI:
    app = FastAPI(title="diagnostics")

    @app.post("/diagnostics/echo")
    def echo(body: EchoRequest) -> EchoResult:
        if fixed:
            done = subprocess.run(
                ["echo", body.message], capture_output=True, text=True, timeout=5, check=False
            )
        else:
            done = subprocess.run(  # the seeded defect: a shell command line
                f"echo {body.message}",
                shell=True,
                capture_output=True,
                text=True,
                timeout=5,
                check=False,
            )
        return EchoResult(output=done.stdout.strip())

    return app


def defective() -> FastAPI:
    return hardened(_app(fixed=False))


def clean() -> FastAPI:
    return hardened(_app(fixed=True))
