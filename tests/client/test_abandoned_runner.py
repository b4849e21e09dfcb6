"""An in-process client dropped without close() leaves no open event loop behind."""

from __future__ import annotations

import gc

from fastapi import FastAPI

from assay.client import APITestClient
from assay.client.transports import ASGIAppTransport


def test_a_dropped_client_closes_its_event_loop() -> None:
    app = FastAPI()

    @app.get("/x")
    def x() -> dict[str, int]:
        return {"a": 1}

    client = APITestClient(app, validate=False)
    client.get("/x")
    transport = client._session.transport
    assert isinstance(transport, ASGIAppTransport)
    loop = transport.runner._loop
    del client, transport
    gc.collect()
    # Only the loop is still referenced (by this test): the runner was collected and
    # closed it, so the loop cannot warn about being unclosed whenever it is collected.
    assert loop.is_closed()
