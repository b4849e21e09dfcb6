"""Cursor pagination over a real list endpoint: pages, sort, limit, tampered cursors."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from starlette.testclient import TestClient

from shop.platform.pagination import SortSpec, decode_cursor, encode_cursor
from shop.platform.problems import BadRequest, Unprocessable


@pytest.fixture
def names(client: TestClient) -> list[str]:
    created = ["delta", "alpha", "echo", "charlie", "bravo"]
    for name in created:
        assert client.post("/v1/widgets", json={"name": name}).status_code == 201
    return created


def _walk(client: TestClient, query: str) -> list[list[str]]:
    pages: list[list[str]] = []
    url = f"/v1/widgets?{query}"
    while True:
        body = client.get(url).json()
        pages.append([item["name"] for item in body["items"]])
        if body["next_cursor"] is None:
            return pages
        url = f"/v1/widgets?{query}&cursor={body['next_cursor']}"


def test_pages_cover_every_item_once_in_order(client: TestClient, names: list[str]) -> None:
    assert _walk(client, "limit=2&sort=name") == [
        ["alpha", "bravo"],
        ["charlie", "delta"],
        ["echo"],
    ]
    assert _walk(client, "limit=2&sort=-name") == [
        ["echo", "delta"],
        ["charlie", "bravo"],
        ["alpha"],
    ]
    assert _walk(client, "limit=20") == [names]


@pytest.mark.parametrize("limit", ["0", "101", "ten"])
def test_limit_outside_1_to_100_is_refused(client: TestClient, limit: str) -> None:
    response = client.get(f"/v1/widgets?limit={limit}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "/query/limit"


def test_unknown_sort_field_is_a_422_naming_the_allowed(client: TestClient) -> None:
    response = client.get("/v1/widgets?sort=-password")
    assert response.status_code == 422
    body = response.json()
    assert "id, name" in body["detail"]
    assert body["errors"][0]["pointer"] == "/query/sort"


def test_tampered_cursor_is_a_400_problem(client: TestClient, names: list[str]) -> None:
    cursor = client.get("/v1/widgets?limit=1&sort=name").json()["next_cursor"]
    forged = cursor[:-2] + ("AA" if not cursor.endswith("AA") else "BB")
    for bad in (forged, "not-a-cursor", "%%%", "e30"):
        response = client.get("/v1/widgets", params={"cursor": bad, "sort": "name"})
        assert response.status_code == 400, bad
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["title"] == "Invalid cursor"


def test_cursor_of_another_sort_order_is_a_400(client: TestClient, names: list[str]) -> None:
    cursor = client.get("/v1/widgets?limit=1&sort=name").json()["next_cursor"]
    # name,id (2 values) against id only (1 value)
    response = client.get("/v1/widgets", params={"cursor": cursor, "sort": "id"})
    assert response.status_code == 400


def test_cursor_round_trips_typed_values() -> None:
    values = ("a", 3, None, datetime(2026, 1, 2, 3, 4, tzinfo=UTC), Decimal("1.10"), True)
    assert decode_cursor(encode_cursor(values)) == values
    with pytest.raises(BadRequest):
        decode_cursor(encode_cursor(values) + "x")


def test_sort_spec_parsing() -> None:
    spec = SortSpec.parse("-created_at,sku", {"created_at", "sku", "id"}, "id", tiebreaker="id")
    assert [(f.name, f.descending) for f in spec.fields] == [
        ("created_at", True),
        ("sku", False),
        ("id", False),
    ]
    with pytest.raises(Unprocessable):
        SortSpec.parse("sku,sku", {"sku"}, "sku")
