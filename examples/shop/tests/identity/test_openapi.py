"""The OpenAPI document declares every scheme, scope, status, header and problem."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI

from shop.identity import SCOPES


@pytest.fixture
def spec(app: FastAPI) -> dict[str, Any]:
    return app.openapi()


def test_security_schemes(spec: dict[str, Any]) -> None:
    schemes = spec["components"]["securitySchemes"]
    flows = schemes["OAuth2"]["flows"]
    assert flows["password"]["tokenUrl"] == "/v1/token"
    assert flows["clientCredentials"]["scopes"] == SCOPES
    assert schemes["ServiceApiKey"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": "Service-to-service API key.",
    }
    assert schemes["ConsoleSession"]["in"] == "cookie"


def test_protected_operations_declare_their_scopes(spec: dict[str, Any]) -> None:
    operation = spec["paths"]["/v1/orders"]["get"]
    assert {"OAuth2": ["orders:read"]} in operation["security"]
    assert {"401", "403"} <= set(operation["responses"])
    service = spec["paths"]["/internal/stock"]["get"]
    assert service["security"] == [{"ServiceApiKey": ["inventory:read"]}]


def test_optional_auth_allows_anonymous(spec: dict[str, Any]) -> None:
    assert {} in spec["paths"]["/v1/whoami"]["get"]["security"]


def test_public_operations_declare_no_security(spec: dict[str, Any]) -> None:
    assert "security" not in spec["paths"]["/v1/token"]["post"]
    assert "security" not in spec["paths"]["/v1/console/login"]["post"]
    assert "security" not in spec["paths"]["/.well-known/jwks.json"]["get"]


@pytest.mark.parametrize("path", ["/v1/token", "/v1/console/login"])
def test_login_operations_document_rate_limits(spec: dict[str, Any], path: str) -> None:
    responses = spec["paths"][path]["post"]["responses"]
    assert {"Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"} <= set(
        responses["429"]["headers"]
    )
    assert "RateLimit-Remaining" in responses["200"]["headers"]
    for status in ("400", "401", "422", "429"):
        content = responses[status]["content"]
        assert list(content) == ["application/problem+json"]
        assert content["application/problem+json"]["example"]["status"] == int(status)


def test_console_login_accepts_json_and_forms(spec: dict[str, Any]) -> None:
    body = spec["paths"]["/v1/console/login"]["post"]["requestBody"]
    assert set(body["content"]) == {"application/json", "application/x-www-form-urlencoded"}
