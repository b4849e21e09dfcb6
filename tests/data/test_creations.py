"""Created resources found in recorded exchanges: Location, or an id on the item path."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assay.client import APITestClient
from assay.data.creations import created_resources

from .items_app import make_app


@pytest.fixture
def client() -> Iterator[APITestClient]:
    with APITestClient(make_app()) as made:
        yield made


def _urls(client: APITestClient) -> list[str]:
    return [resource.url for resource in created_resources(client.exchanges, client.spec)]


def test_location_and_identifiers_name_the_created_resources(client: APITestClient) -> None:
    client.post("/items", json={"name": "lamp"})
    client.post("/notes", json={"key": "a b", "text": "hello"})
    assert _urls(client) == ["http://testserver/items/1", "http://testserver/notes/a%20b"]


def test_searches_failures_and_deleted_resources_are_not_listed(client: APITestClient) -> None:
    client.post("/searches", json={"name": "lamp"})
    client.post("/items", json={"wrong": "body"}, validate=False)
    client.post("/items", json={"name": "lamp"})
    client.post("/items", json={"name": "desk"})
    client.delete("/items/1")
    assert _urls(client) == ["http://testserver/items/2"]


def test_a_location_without_a_delete_operation_is_not_listed(client: APITestClient) -> None:
    app = client._session.app

    @app.post("/reports", status_code=202)
    def report() -> dict[str, str]:
        return {"id": "r1"}

    with APITestClient(app) as fresh:
        fresh.post("/reports")
        assert _urls(fresh) == []


def test_identity_and_time_are_kept(client: APITestClient) -> None:
    client.post("/items", json={"name": "lamp"})
    [resource] = created_resources(client.exchanges, client.spec)
    assert resource.identity is None
    assert resource.created_at == client.exchanges[0].started_at
