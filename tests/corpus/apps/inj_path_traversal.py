"""A file download that joins the caller's name to its folder without containing it.

The server's disk is simulated (a dict of files, paths normalised as the OS would),
so the test reads nothing from the machine it runs on.
"""

from __future__ import annotations

import posixpath
from typing import Annotated

from fastapi import FastAPI, HTTPException, Query
from pydantic import BaseModel
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened

DEFECT = ("path_traversal", "GET /files")
PROBES = (Probe("GET /files", query={"name": "../../../../../../etc/passwd"}, phase="security"),)
SETTINGS = {"phases": ("examples", "security")}

_FOLDER = "/srv/reports"
_DISK = {
    "/srv/reports/q1.txt": "Q1: 1200 orders\n",
    "/srv/reports/q2.txt": "Q2: 1350 orders\n",
    "/etc/passwd": "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin:/bin/false\n",
}


class Report(BaseModel):
    name: str
    content: str


class Missing(BaseModel):
    detail: str


def _app(*, fixed: bool) -> FastAPI:
    app = FastAPI(title="reports")

    @app.get("/files", responses={404: {"model": Missing}})
    def read(name: Annotated[str, Query(min_length=1, max_length=80)]) -> Report:
        path = posixpath.normpath(posixpath.join(_FOLDER, name))
        if fixed and not path.startswith(_FOLDER + "/"):
            raise HTTPException(404, "no such report")
        if path not in _DISK:
            raise HTTPException(404, "no such report")
        return Report(name=name, content=_DISK[path])

    return app


def defective() -> FastAPI:
    return hardened(_app(fixed=False))


def clean() -> FastAPI:
    return hardened(_app(fixed=True))
