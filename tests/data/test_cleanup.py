"""`Cleanup`: URLs and callables undone newest first; what stays is reported, not raised."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assay.client import APITestClient
from assay.data.cleanup import Cleanup, Leftover
from assay.errors import AssayError

from .items_app import LOCKED, make_app


@pytest.fixture
def client() -> Iterator[APITestClient]:
    with APITestClient(make_app(), spec=None) as made:
        yield made


def _create(client: APITestClient, name: str) -> str:
    response = client.post("/items", json={"name": name})
    assert response.status_code == 201
    return response.headers["Location"]


def test_urls_and_callables_are_undone_newest_first(client: APITestClient) -> None:
    cleanup = Cleanup(client)
    undone: list[str] = []
    first = _create(client, "a")
    cleanup.register(first)
    cleanup.register(lambda: undone.append("callable"), label="the callable")
    second = _create(client, "b")
    cleanup.register(second)
    assert cleanup.pending == [second, "the callable", first]
    assert cleanup.run() == []
    app = client._session.app
    assert app.state.deleted == [second, first]
    assert undone == ["callable"]
    assert len(cleanup) == 0


def test_what_cannot_be_deleted_is_reported_with_its_url(client: APITestClient) -> None:
    cleanup = Cleanup(client)
    stuck = _create(client, LOCKED)
    cleanup.register(stuck)
    cleanup.register(_create(client, "fine"))

    def broken() -> None:
        raise RuntimeError("disk on fire")

    cleanup.register(broken)
    leftovers = cleanup.run()
    assert leftovers == [
        Leftover(
            "test_what_cannot_be_deleted_is_reported_with_its_url.<locals>.broken()",
            "RuntimeError: disk on fire",
        ),
        Leftover(stuck, "DELETE answered 409"),
    ]
    assert str(leftovers[1]) == f"{stuck}: DELETE answered 409"


def test_already_gone_is_not_a_leftover_and_a_url_counts_once(client: APITestClient) -> None:
    cleanup = Cleanup(client)
    url = _create(client, "a")
    cleanup.register(url)
    cleanup.register(url)
    assert len(cleanup) == 1
    assert client.delete(url).status_code == 204
    assert cleanup.run() == []


def test_created_at_places_a_late_registration(client: APITestClient) -> None:
    cleanup = Cleanup(client)
    cleanup.register("/items/2", created_at=200.0)
    cleanup.register("/items/1", created_at=100.0)
    cleanup.register("/items/3", created_at=300.0)
    assert cleanup.pending == ["/items/3", "/items/2", "/items/1"]


def test_a_url_without_a_client_is_left_over() -> None:
    cleanup = Cleanup()
    cleanup.register("/items/1")
    [leftover] = cleanup.run()
    assert leftover.target == "/items/1"
    assert "no client" in leftover.reason


def test_via_names_another_client(client: APITestClient) -> None:
    cleanup = Cleanup()
    cleanup.register(_create(client, "a"), via=client)
    assert cleanup.run() == []


@pytest.mark.parametrize("target", ["", 42])
def test_bad_targets_are_refused(target: object) -> None:
    with pytest.raises(AssayError, match=r"Cleanup\.register"):
        Cleanup().register(target)  # type: ignore[arg-type]
