"""A host check that runs a shell command with the caller's host name and tells nothing.

The answer is the same whatever the command printed, so only the time the shell takes
shows that input reaches it.
"""

from __future__ import annotations

import subprocess
from typing import Annotated

from fastapi import FastAPI, Query
from pydantic import BaseModel
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("command_injection", "GET /hosts/check")
PROBES = (Probe("GET /hosts/check", query={"host": "db1$(sleep 1)"}, phase="security"),)
SETTINGS = {"phases": ("examples", "security")}


class Verdict(BaseModel):
    checked: bool


def _app(*, fixed: bool) -> FastAPI:
    app = FastAPI(title="hosts")

    @app.get("/hosts/check")
    def check(host: Annotated[str, Query(min_length=1, max_length=60)]) -> Verdict:
        if fixed:
            subprocess.run(["test", "-n", host], timeout=5, check=False)
        else:
            subprocess.run(f"test -n {host}", shell=True, timeout=5, check=False)  # the defect
        return Verdict(checked=True)

    return app


def defective() -> FastAPI:
    return hardened(_app(fixed=False))


def clean() -> FastAPI:
    return hardened(_app(fixed=True))
