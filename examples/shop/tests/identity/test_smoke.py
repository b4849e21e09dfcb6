from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from .identity_app import bearer


def test_token_opens_a_protected_operation(client: TestClient, tokens: dict[str, Any]) -> None:
    response = client.get("/v1/orders", headers=bearer(tokens["access_token"]))
    assert response.status_code == 200, response.text
    assert response.json()["kind"] == "user"
