"""Document rules: OpenAPI and API versions, title, servers, tags."""

from __future__ import annotations

from typing import Any

from assay.contract.diff.rules import Level, Rule, table

__all__ = ["document_rules"]

E, W, INFO = Level.ERR, Level.WARN, Level.INFO
A, B = {"url": "https://a.example"}, {"url": "https://b.example"}


def _info(**info: str) -> dict[str, Any]:
    return {"info": {"title": "Example", "version": "1.0.0", **info}}


def _var(**variable: Any) -> dict[str, Any]:
    return {"servers": [{"url": "https://{region}.example", "variables": {"region": variable}}]}


def document_rules() -> list[Rule]:
    return table(
        "document",
        "document",
        [
            (
                "openapi-version-changed",
                INFO,
                "The OpenAPI version of the document changed.",
                "OpenAPI version changed from {old} to {new}",
                {"openapi": "3.0.3"},
                {"openapi": "3.1.0"},
            ),
            (
                "api-version-changed",
                INFO,
                "info.version changed.",
                "API version changed from {old} to {new}",
                _info(version="1.0.0"),
                _info(version="1.1.0"),
            ),
            (
                "api-title-changed",
                INFO,
                "info.title changed.",
                "API title changed from {old} to {new}",
                _info(title="Orders"),
                _info(title="Shop orders"),
            ),
            (
                "server-added",
                INFO,
                "A new server.",
                "server {new} added",
                {"servers": [A]},
                {"servers": [A, B]},
            ),
            (
                "server-removed",
                W,
                "A server was removed: clients configured with it lose the API.",
                "server {old} removed",
                {"servers": [A, B]},
                {"servers": [A]},
            ),
            (
                "server-variable-default-changed",
                W,
                "A server variable's default changed: clients "
                "using the default reach another server.",
                "server {name}: default of {{{subject}}} changed from {old} to {new}",
                _var(default="eu", enum=["eu", "us"]),
                _var(default="us", enum=["eu", "us"]),
            ),
            (
                "server-variable-enum-value-removed",
                W,
                "A server variable no longer allows a value.",
                "server {name}: value {old} of {{{subject}}} removed",
                _var(default="eu", enum=["eu", "us"]),
                _var(default="eu", enum=["eu"]),
            ),
            (
                "server-variable-enum-value-added",
                INFO,
                "A server variable allows a new value.",
                "server {name}: value {new} of {{{subject}}} added",
                _var(default="eu", enum=["eu"]),
                _var(default="eu", enum=["eu", "us"]),
            ),
            (
                "tag-added",
                INFO,
                "A top-level tag was added.",
                "tag {new} added",
                {"tags": [{"name": "orders"}]},
                {"tags": [{"name": "orders"}, {"name": "sales"}]},
            ),
            (
                "tag-removed",
                INFO,
                "A top-level tag was removed.",
                "tag {old} removed",
                {"tags": [{"name": "orders"}, {"name": "sales"}]},
                {"tags": [{"name": "orders"}]},
            ),
        ],
    )
