"""Endpoint parameter types chosen when the router is built (one factory, two versions)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from pydantic import BaseModel
from starlette.testclient import TestClient

from shop.platform.signatures import typed


class ThingV1(BaseModel):
    price: int


class ThingV2(BaseModel):
    price: dict[str, int]


def _add(app: FastAPI, version: str, model: type[BaseModel]) -> None:
    def create(body: Any) -> dict[str, Any]:
        return {"version": version, "body": body.model_dump()}

    app.post(f"/{version}/things", operation_id=f"create_{version}")(typed(create, body=model))


def _app() -> FastAPI:
    app = FastAPI()
    _add(app, "v1", ThingV1)
    _add(app, "v2", ThingV2)
    return app


def test_each_version_reads_its_own_body_model() -> None:
    app = _app()
    with TestClient(app) as client:
        assert client.post("/v1/things", json={"price": 5}).json()["body"] == {"price": 5}
        assert client.post("/v1/things", json={"price": {"amount": 5}}).status_code == 422
        v2 = client.post("/v2/things", json={"price": {"amount": 5}})
        assert v2.json() == {"version": "v2", "body": {"price": {"amount": 5}}}
    paths = app.openapi()["paths"]
    refs = [
        paths[f"/{v}/things"]["post"]["requestBody"]["content"]["application/json"]["schema"]
        for v in ("v1", "v2")
    ]
    assert refs == [
        {"$ref": "#/components/schemas/ThingV1"},
        {"$ref": "#/components/schemas/ThingV2"},
    ]


def test_an_unknown_parameter_is_a_type_error() -> None:
    def create(body: Any) -> None:
        return None

    with pytest.raises(TypeError, match="no parameter payload"):
        typed(create, payload=ThingV1)
