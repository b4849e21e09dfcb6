"""Security rules: requirements of operations, scopes, and the security schemes."""

from __future__ import annotations

from typing import Any

from assay.contract.diff.rules import Level, Rule, table

__all__ = ["security_rules"]

E, W, INFO = Level.ERR, Level.WARN, Level.INFO
BEARER: dict[str, Any] = {"type": "http", "scheme": "bearer"}
KEY: dict[str, Any] = {"type": "apiKey", "in": "header", "name": "X-Key"}
FLOW: dict[str, Any] = {"tokenUrl": "https://a.example/token", "scopes": {"read": "Read"}}
OAUTH: dict[str, Any] = {"type": "oauth2", "flows": {"clientCredentials": FLOW}}
CODE: dict[str, Any] = {"authorizationUrl": "https://a.example/auth", **FLOW}


def _schemes(**schemes: dict[str, Any]) -> dict[str, Any]:
    return {"components": {"securitySchemes": schemes}}


def _secured(*requirements: dict[str, list[str]]) -> dict[str, Any]:
    """A document whose operation uses `requirements`; bearer, key and oauth exist."""
    base = _schemes(bearer=BEARER, key=KEY, oauth=OAUTH)
    op = {"responses": {"200": {"description": "OK"}}, "security": list(requirements)}
    return {**base, "paths": {"/orders": {"post": op}}}


def _flows(**flows: dict[str, Any]) -> dict[str, Any]:
    return _schemes(oauth={"type": "oauth2", "flows": flows})


def _requirement_rules() -> list[Rule]:
    return table(
        "security",
        "document",
        [
            (
                "operation-security-added",
                E,
                "A public operation now needs credentials.",
                "{subject}: security {new} added to a public operation",
                _secured(),
                _secured({"bearer": []}),
            ),
            (
                "operation-security-removed",
                INFO,
                "An operation no longer needs credentials.",
                "{subject}: security removed, the operation is public",
                _secured({"bearer": []}),
                _secured(),
            ),
            (
                "operation-security-requirement-added",
                INFO,
                "A new way to authenticate.",
                "{subject}: security alternative {new} added",
                _secured({"bearer": []}),
                _secured({"bearer": []}, {"key": []}),
            ),
            (
                "operation-security-requirement-removed",
                E,
                "A way to authenticate was removed: clients using it are rejected.",
                "{subject}: security alternative {old} removed",
                _secured({"bearer": []}, {"key": []}),
                _secured({"bearer": []}),
            ),
            (
                "operation-anonymous-access-removed",
                E,
                "Optional authentication became mandatory.",
                "{subject}: anonymous access removed",
                _secured({"bearer": []}, {}),
                _secured({"bearer": []}),
            ),
            (
                "operation-security-scope-added",
                E,
                "A required scope was added: existing tokens may lack it.",
                "{subject}: scope {new} of {name} now required",
                _secured({"oauth": ["read"]}),
                _secured({"oauth": ["read", "write"]}),
            ),
            (
                "operation-security-scope-removed",
                INFO,
                "A scope is no longer required.",
                "{subject}: scope {old} of {name} no longer required",
                _secured({"oauth": ["read", "write"]}),
                _secured({"oauth": ["read"]}),
            ),
        ],
    )


def _scheme_rules() -> list[Rule]:
    return table(
        "security",
        "document",
        [
            (
                "security-scheme-added",
                INFO,
                "A new security scheme.",
                "security scheme {name} added",
                _schemes(),
                _schemes(bearer=BEARER),
            ),
            (
                "security-scheme-removed",
                W,
                "A security scheme was removed.",
                "security scheme {name} removed",
                _schemes(bearer=BEARER),
                _schemes(),
            ),
            (
                "security-scheme-type-changed",
                E,
                "A scheme's type changed (apiKey to http, …).",
                "security scheme {name}: type changed from {old} to {new}",
                _schemes(s=KEY),
                _schemes(s=BEARER),
            ),
            (
                "security-scheme-http-scheme-changed",
                E,
                "An http scheme changed (basic to bearer).",
                "security scheme {name}: scheme changed from {old} to {new}",
                _schemes(s=BEARER),
                _schemes(s={**BEARER, "scheme": "basic"}),
            ),
            (
                "security-scheme-api-key-location-changed",
                E,
                "An API key moved (header, query, cookie, or another name).",
                "security scheme {name}: key moved from {old} to {new}",
                _schemes(s=KEY),
                _schemes(s={**KEY, "in": "query"}),
            ),
            (
                "security-scheme-bearer-format-changed",
                INFO,
                "The documented bearer format changed.",
                "security scheme {name}: bearer format changed from {old} to {new}",
                _schemes(s={**BEARER, "bearerFormat": "JWT"}),
                _schemes(s={**BEARER, "bearerFormat": "opaque"}),
            ),
            (
                "security-scheme-oauth-flow-added",
                INFO,
                "A new OAuth2 flow.",
                "security scheme {name}: flow {new} added",
                _flows(clientCredentials=FLOW),
                _flows(clientCredentials=FLOW, authorizationCode=CODE),
            ),
            (
                "security-scheme-oauth-flow-removed",
                E,
                "An OAuth2 flow was removed: clients using it cannot get tokens.",
                "security scheme {name}: flow {old} removed",
                _flows(clientCredentials=FLOW, authorizationCode=CODE),
                _flows(clientCredentials=FLOW),
            ),
            (
                "security-scheme-token-url-changed",
                W,
                "An OAuth2 token URL changed.",
                "security scheme {name}: token URL changed from {old} to {new}",
                _flows(clientCredentials=FLOW),
                _flows(clientCredentials={**FLOW, "tokenUrl": "https://b.example/token"}),
            ),
            (
                "security-scheme-authorization-url-changed",
                W,
                "An OAuth2 authorization URL changed.",
                "security scheme {name}: authorization URL changed from {old} to {new}",
                _flows(authorizationCode=CODE),
                _flows(authorizationCode={**CODE, "authorizationUrl": "https://b.example/auth"}),
            ),
            (
                "security-scheme-scope-added",
                INFO,
                "An OAuth2 flow offers a new scope.",
                "security scheme {name}: scope {new} added",
                _flows(clientCredentials=FLOW),
                _flows(clientCredentials={**FLOW, "scopes": {"read": "Read", "write": "Write"}}),
            ),
            (
                "security-scheme-scope-removed",
                W,
                "An OAuth2 flow no longer offers a scope.",
                "security scheme {name}: scope {old} removed",
                _flows(clientCredentials={**FLOW, "scopes": {"read": "Read", "write": "Write"}}),
                _flows(clientCredentials=FLOW),
            ),
            (
                "security-scheme-openid-url-changed",
                W,
                "The OpenID Connect discovery URL changed.",
                "security scheme {name}: OpenID Connect URL changed from {old} to {new}",
                _schemes(s={"type": "openIdConnect", "openIdConnectUrl": "https://a.example/.wk"}),
                _schemes(s={"type": "openIdConnect", "openIdConnectUrl": "https://b.example/.wk"}),
            ),
        ],
    )


def security_rules() -> list[Rule]:
    return _requirement_rules() + _scheme_rules()
