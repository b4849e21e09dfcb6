"""APITestClient: requests, operation calls, overrides, recording."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from tests.client.notes_app import Note, get_repository

from assay.client import APITestClient, APITestRequest
from assay.errors import AssayError


def test_verbs_and_json_bodies(client: APITestClient) -> None:
    created = client.post("/notes", json={"title": "second"})
    created.expect.status(201).header("Location", "/notes/2").json_path("$.id", 2)
    assert client.get("/notes/2").json() == {"id": 2, "title": "second"}


def test_override_replaces_a_dependency_and_restores_it(
    client: APITestClient, app: FastAPI
) -> None:
    with client.override(get_repository, lambda: {7: Note(id=7, title="fake")}):
        client.get("/repository/7").expect.status(200).json_path("$.title", "fake")
    assert get_repository not in app.dependency_overrides


def test_override_restores_a_previous_override(client: APITestClient, app: FastAPI) -> None:
    def outer() -> dict[int, Note]:
        return {}

    app.dependency_overrides[get_repository] = outer
    with pytest.raises(KeyError), client.override(get_repository, dict):
        raise KeyError("inside")
    assert app.dependency_overrides[get_repository] is outer


def test_override_needs_an_in_process_fastapi_app() -> None:
    api = APITestClient(base_url="http://127.0.0.1:9", spec=None)
    with pytest.raises(AssayError, match="tests a live URL"), api.override(get_repository, dict):
        pass


def test_exchanges_are_recorded_in_a_bounded_ring(app: FastAPI) -> None:
    with APITestClient(app, spec=None, record=3) as api:
        for note_id in (1, 2, 3, 4, 5):
            api.get(f"/notes/{note_id}")
        paths = [exchange.request.url.path for exchange in api.exchanges]
        assert paths == ["/notes/3", "/notes/4", "/notes/5"]
        last = api.last_exchange
        assert last is not None
        assert last.response.status_code == 404
        assert last.elapsed_ms > 0


def test_cookies_persist_per_identity_view(client: APITestClient) -> None:
    client.post("/login")
    assert client.get("/echo/headers").json()["session"] == "s-123"
    other = client.as_identity(None)
    assert other.get("/echo/headers").json()["session"] is None


def test_send_an_api_test_request(client: APITestClient) -> None:
    request = APITestRequest(method="GET", path="/search", query={"limit": 3})
    assert client.send(request).json() == {"tags": [], "limit": 3}


def test_needs_a_target() -> None:
    with pytest.raises(AssayError, match="needs a target"):
        APITestClient(spec=None)


def test_unknown_identity_name_lists_the_known_ones(client: APITestClient) -> None:
    with pytest.raises(AssayError, match=r"no identity named 'mallory' \(known: none registered\)"):
        client.as_identity("mallory")


def test_app_can_be_given_as_an_import_string() -> None:
    with APITestClient("tests.client.notes_app:make_app()") as client:
        assert client.spec.title
        assert client.get("/notes/999").status_code == 404


def test_bad_import_string_is_an_assay_error() -> None:
    with pytest.raises(AssayError, match=r"module 'tests\.client\.nowhere'"):
        APITestClient("tests.client.nowhere:app")
