"""/v1 and /v2 side by side, API-Version header routing, v1 deprecation headers."""

from __future__ import annotations

from starlette.testclient import TestClient


def _create(client: TestClient, name: str = "w") -> int:
    response = client.post("/v2/widgets", json={"name": name})
    assert response.status_code == 201, response.text
    widget_id: int = response.json()["id"]
    return widget_id


def test_both_versions_serve_their_representation(client: TestClient) -> None:
    widget_id = _create(client)
    assert client.get(f"/v1/widgets/{widget_id}").json() == {"id": widget_id, "name": "w"}
    assert client.get(f"/v2/widgets/{widget_id}").json()["version"] == 1


def test_header_selects_the_version_of_an_unversioned_path(client: TestClient) -> None:
    widget_id = _create(client)
    v2 = client.get(f"/widgets/{widget_id}", headers={"API-Version": "2"})
    assert v2.status_code == 200
    assert "version" in v2.json()
    assert "API-Version" in v2.headers["vary"]
    v1 = client.get(f"/widgets/{widget_id}", headers={"API-Version": "1"})
    assert v1.status_code == 200
    assert "version" not in v1.json()
    assert "deprecation" in v1.headers


def test_unknown_version_is_a_400_problem_listing_the_supported(client: TestClient) -> None:
    response = client.get("/widgets/1", headers={"API-Version": "7"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["supported_versions"] == ["1", "2"]
    assert "1, 2" in body["detail"]


def test_unversioned_path_without_header_is_not_found(client: TestClient) -> None:
    assert client.get("/widgets/1").status_code == 404


def test_v1_answers_carry_deprecation_sunset_and_successor_link(client: TestClient) -> None:
    widget_id = _create(client)
    response = client.get(f"/v1/widgets/{widget_id}")
    assert response.headers["deprecation"].startswith("@")
    assert response.headers["sunset"].endswith("GMT")
    assert response.headers["link"] == f'</v2/widgets/{widget_id}>; rel="successor-version"'
    missing = client.get("/v1/widgets/999")
    assert "deprecation" in missing.headers
    v2 = client.get(f"/v2/widgets/{widget_id}")
    assert "deprecation" not in v2.headers
    assert "sunset" not in v2.headers


def test_v1_operations_without_a_v2_successor_are_not_marked(client: TestClient) -> None:
    response = client.get("/v1/boom")
    assert "deprecation" not in response.headers


def test_openapi_marks_v1_deprecated_and_documents_the_headers(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    v1 = spec["paths"]["/v1/widgets/{widget_id}"]["get"]
    assert v1["deprecated"] is True
    assert {"Deprecation", "Sunset", "Link", "X-Request-ID"} <= set(
        v1["responses"]["200"]["headers"]
    )
    v2 = spec["paths"]["/v2/widgets/{widget_id}"]["get"]
    assert "deprecated" not in v2
    assert "X-Request-ID" in v2["responses"]["404"]["headers"]
    assert "deprecated" not in spec["paths"]["/v1/token"]["post"]


def test_operational_paths_ignore_the_version_header(client: TestClient) -> None:
    assert client.get("/healthz", headers={"API-Version": "9"}).status_code == 200
    assert client.get("/openapi.json", headers={"API-Version": "2"}).status_code == 200


def test_deprecation_link_is_percent_encoded_whatever_the_path(client: TestClient) -> None:
    for raw, encoded in (("%C3%BC", "%C3%BC"), ("%0A", "%0A"), ("a%20b", "a%20b")):
        response = client.get(f"/v1/widgets/{raw}")
        assert response.status_code == 422
        assert response.headers["link"] == f'</v2/widgets/{encoded}>; rel="successor-version"'
        assert response.json()["instance"] == f"/v1/widgets/{encoded}"
