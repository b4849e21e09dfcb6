"""A service for the environment manager's tests, run by uvicorn in a child process.

``SERVICE_READY=0`` makes ``/readyz`` answer 503; ``SERVICE_NO_READYZ=1`` removes it
(``/healthz`` is then the health path); ``/peer`` tells the ``PEER_URL`` it was given.
"""

from __future__ import annotations

import os
import sys

from fastapi import FastAPI, Response


def create_app() -> FastAPI:
    """The app (a factory, for ``uvicorn --factory``)."""
    app = FastAPI()
    print("service starting", file=sys.stderr, flush=True)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    if os.environ.get("SERVICE_NO_READYZ") != "1":

        @app.get("/readyz")
        def readyz(response: Response) -> dict[str, str]:
            if os.environ.get("SERVICE_READY") == "0":
                response.status_code = 503
                return {"status": "waiting"}
            return {"status": "ready"}

    @app.get("/peer")
    def peer() -> dict[str, str | None]:
        return {"peer": os.environ.get("PEER_URL")}

    return app
