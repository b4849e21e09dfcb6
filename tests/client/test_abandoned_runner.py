"""An in-process client dropped without close() leaves no open event loop behind."""

from __future__ import annotations

import gc
import warnings

from fastapi import FastAPI

from assay.client import APITestClient


def test_a_dropped_client_leaves_no_open_loop() -> None:
    app = FastAPI()

    @app.get("/x")
    def x() -> dict[str, int]:
        return {"a": 1}

    client = APITestClient(app, validate=False)
    client.get("/x")
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        del client
        gc.collect()
    leaks = [str(w.message) for w in seen if issubclass(w.category, ResourceWarning)]
    assert leaks == []
