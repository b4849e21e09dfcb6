"""An app whose undeclared PUT crashes, and a check that flags 5xx, for runner tests."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI, HTTPException

from assay.checks.registry import CheckContext, Exchange, check

CHECK = "engine_test_server_error"


@check(name=CHECK, family="engine-tests", default=False)
def engine_test_server_error(ctx: CheckContext, exchange: Exchange) -> None:
    """Fires on any 5xx: the runner tests need a check that cannot miss."""
    if exchange.status >= 500:
        raise ctx.finding(
            exchange,
            f"server error {exchange.status}",
            check=CHECK,
            signature=str(exchange.status),
        )


def make_app(*, broken: bool = True) -> FastAPI:
    app = FastAPI(title="Items", version="1")

    @app.get("/items/{item_id}", operation_id="getItem")
    def get_item(item_id: int) -> dict[str, Any]:
        return {"id": item_id}

    @app.put("/items/{item_id}", include_in_schema=False)
    def put_item(item_id: int) -> dict[str, Any]:
        if broken:
            raise RuntimeError("undeclared handler crashed")
        raise HTTPException(405, "Method Not Allowed", headers={"Allow": "GET"})

    @app.get("/health", operation_id="health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return app


@pytest.fixture
def broken_app() -> FastAPI:
    return make_app(broken=True)


@pytest.fixture
def fixed_app() -> FastAPI:
    return make_app(broken=False)


def fixed() -> FastAPI:
    """The corrected app, as an import-string factory (``…conftest:fixed()``)."""
    return make_app(broken=False)
