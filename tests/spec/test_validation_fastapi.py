"""No false positives on what a correct FastAPI app really sends (3.1 schemas from pydantic)."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import uuid
from collections.abc import Iterator
from typing import Annotated, Any, Literal

import pytest
from fastapi import FastAPI, Header, HTTPException, Query, Response
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field

from assay.spec import Spec, load
from assay.spec.validation import SpecValidator


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Cat(BaseModel):
    kind: Literal["cat"] = "cat"
    lives: int = 9


class Dog(BaseModel):
    kind: Literal["dog"] = "dog"
    good: bool = True


class Thing(BaseModel):
    id: uuid.UUID
    name: str = Field(min_length=1, max_length=20)
    created: dt.datetime
    day: dt.date
    at: dt.time
    took: dt.timedelta
    price: decimal.Decimal
    color: Color
    tags: list[str] = []
    extra: dict[str, int] = {}
    parent: Thing | None = None
    pet: Annotated[Cat | Dog, Field(discriminator="kind")]
    ratio: float | None = None


def _thing(**overrides: Any) -> Thing:
    values: dict[str, Any] = {
        "id": uuid.UUID(int=7),
        "name": "box",
        "created": dt.datetime(2024, 5, 1, 12, 0, 0),  # naive: no offset in the JSON
        "day": dt.date(2024, 5, 1),
        "at": dt.time(12, 30),
        "took": dt.timedelta(seconds=1.5),
        "price": decimal.Decimal("9.99"),
        "color": Color.RED,
        "pet": Dog(),
        "parent": None,
    }
    values.update(overrides)
    return Thing(**values)


def make_app() -> FastAPI:
    app = FastAPI()

    @app.get("/things/{thing_id}", response_model=Thing)
    def get_thing(thing_id: int, verbose: bool = False) -> Thing:
        if thing_id == 404:
            raise HTTPException(404, "no such thing")
        parent = _thing(name="parent", created=dt.datetime.now(dt.UTC), pet=Cat())
        return _thing(parent=parent, took=dt.timedelta(days=-1))

    @app.post("/things", response_model=Thing, status_code=201)
    def create_thing(thing: Thing, x_trace: Annotated[str | None, Header()] = None) -> Thing:
        return thing

    @app.get("/search")
    def search(q: Annotated[list[str], Query()] = [], limit: int = 10) -> dict[str, Any]:  # noqa: B006
        return {"q": q, "limit": limit}

    @app.delete("/things/{thing_id}", status_code=204)
    def delete_thing(thing_id: int) -> Response:
        return Response(status_code=204)

    @app.get("/broken", response_model=None)
    def broken() -> dict[str, Any]:
        return {"id": "not-a-uuid"}

    return app


@pytest.fixture(scope="module")
def app() -> FastAPI:
    return make_app()


@pytest.fixture(scope="module")
def spec(app: FastAPI) -> Spec:
    return load(app)


@pytest.fixture(scope="module")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("GET", "/things/1", None),
        ("GET", "/things/1?verbose=true", None),
        ("GET", "/things/abc", None),  # FastAPI's 422
        ("POST", "/things", {"bad": "body"}),  # 422 with a detail list
        ("GET", "/search?q=a&q=b&limit=3", None),
        ("DELETE", "/things/3", None),
    ],
)
def test_correct_app_has_no_violations(
    client: TestClient, spec: Spec, method: str, url: str, body: Any
) -> None:
    response = client.request(method, url, json=body)
    operation = spec.find(method, url.split("?", maxsplit=1)[0])
    assert operation is not None
    violations = SpecValidator(spec).validate_response(
        operation, response.status_code, response.headers, response.content
    )
    assert violations == [], (response.status_code, response.text)


def test_an_undocumented_http_exception_status_is_reported(client: TestClient, spec: Spec) -> None:
    # FastAPI documents 404 only when the route says responses={404: ...}: the status is
    # a fact the validator reports; whether it is a finding is the checks' decision.
    response = client.get("/things/404")
    op = spec.find("GET", "/things/404")
    assert op is not None
    violations = SpecValidator(spec).validate_response(op, 404, response.headers, response.content)
    assert [v.kind for v in violations] == ["status-undocumented"]


def test_created_thing_round_trip(client: TestClient, spec: Spec) -> None:
    payload = _thing(pet=Cat(), tags=["a"], extra={"n": 1}).model_dump(mode="json")
    response = client.post("/things", json=payload, headers={"X-Trace": "t"})
    assert response.status_code == 201
    validator = SpecValidator(spec)
    op = spec.find("POST", "/things")
    assert op is not None
    assert validator.validate_response(op, 201, response.headers, response.content) == []
    request = response.request
    assert (
        validator.validate_request(
            op,
            path={},
            query={},
            headers=request.headers,
            cookies={},
            body=request.content,
            content_type=request.headers["content-type"],
        )
        == []
    )


def test_request_with_a_wrong_discriminated_pet(spec: Spec) -> None:
    op = spec.find("POST", "/things")
    assert op is not None
    payload = _thing().model_dump(mode="json")
    payload["pet"] = {"kind": "dog", "good": "very"}
    violations = SpecValidator(spec).validate_request(
        op,
        path={},
        query={},
        headers={},
        cookies={},
        body=__import__("json").dumps(payload).encode(),
        content_type="application/json",
    )
    assert [(v.data_pointer, v.schema_pointer, v.message) for v in violations] == [
        ("/pet/good", "#/components/schemas/Dog/properties/good", '"very" is not of type "boolean"')
    ]


def test_a_wrong_response_is_found(client: TestClient, spec: Spec) -> None:
    # /broken declares no schema (response_model=None): its body is not checked...
    response = client.get("/broken")
    op = spec.find("GET", "/broken")
    assert op is not None
    validator = SpecValidator(spec)
    assert validator.validate_response(op, 200, response.headers, response.content) == []
    # ...while a Thing response with a bad id is.
    get = spec.find("GET", "/things/1")
    assert get is not None
    bad = _thing().model_dump(mode="json") | {"id": "not-a-uuid", "created": "yesterday"}
    violations = validator.validate_response(
        get, 200, {"content-type": "application/json"}, __import__("json").dumps(bad).encode()
    )
    assert sorted(v.data_pointer for v in violations) == ["/created", "/id"]
    assert all(
        v.schema_pointer.startswith("#/components/schemas/Thing-Output/properties/")
        for v in violations
    )
