"""Operation rules: operations removed or added, deprecations, ids, tags, servers."""

from __future__ import annotations

from typing import Any

from assay.contract.diff.rules import Level, Rule, table

__all__ = ["operation_rules"]

E, W, INFO = Level.ERR, Level.WARN, Level.INFO
SUNSET, PAST = "2999-01-01", "2000-01-01"


def _op(**extra: Any) -> dict[str, Any]:
    return {"responses": {"200": {"description": "OK"}}, **extra}


def _doc(**paths: dict[str, Any]) -> dict[str, Any]:
    return {"paths": {f"/{k}" if not k.startswith("/") else k: v for k, v in paths.items()}}


BOTH = _doc(orders={"get": _op(), "post": _op()})
POST = _doc(orders={"post": _op()})
ID_PARAM = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
RENAMED = {**ID_PARAM, "name": "order_id"}


def _removal(old_get: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    return _doc(orders={"get": old_get, "post": _op()}), POST


def operation_rules() -> list[Rule]:
    document = table(
        "paths",
        "document",
        [
            (
                "operation-removed",
                E,
                "An operation was removed: clients calling it get 404/405.",
                "{subject} removed",
                BOTH,
                POST,
            ),
            (
                "deprecated-operation-removed",
                W,
                "A deprecated operation was removed after its sunset date (or it had none).",
                "deprecated {subject} removed",
                *_removal(_op(deprecated=True, **{"x-sunset": PAST})),
            ),
            (
                "operation-removed-before-sunset",
                E,
                "A deprecated operation was removed before its sunset date.",
                "{subject} removed before its sunset {old}",
                *_removal(_op(deprecated=True, **{"x-sunset": SUNSET})),
            ),
            ("operation-added", INFO, "A new operation.", "{subject} added", POST, BOTH),
            (
                "path-parameter-renamed",
                INFO,
                "A path parameter was renamed (same position in the "
                "template): the URL clients build is the same.",
                "{subject}: path parameter {old} renamed to {new}",
                _doc(**{"/orders/{id}": {"get": _op(parameters=[ID_PARAM])}}),
                _doc(**{"/orders/{order_id}": {"get": _op(parameters=[RENAMED])}}),
            ),
            (
                "webhook-added",
                INFO,
                "A new webhook (3.1).",
                "webhook {name} added",
                {"webhooks": {}},
                {"webhooks": {"shipped": {"post": _op()}}},
            ),
            (
                "webhook-removed",
                W,
                "A webhook was removed: subscribers stop receiving it.",
                "webhook {name} removed",
                {"webhooks": {"shipped": {"post": _op()}}},
                {"webhooks": {}},
            ),
        ],
    )
    return document + table(
        "paths",
        "operation",
        [
            (
                "operation-deprecated",
                INFO,
                "An operation was deprecated with a sunset date "
                "(x-sunset or a documented Sunset header).",
                "{subject} deprecated (sunset {new})",
                {},
                {"deprecated": True, "x-sunset": SUNSET},
            ),
            (
                "operation-deprecated-without-sunset",
                W,
                "An operation was deprecated without a "
                "sunset date: clients cannot plan the migration.",
                "{subject} deprecated without a sunset date",
                {},
                {"deprecated": True},
            ),
            (
                "operation-reactivated",
                INFO,
                "A deprecated operation is no longer deprecated.",
                "{subject} is no longer deprecated",
                {"deprecated": True},
                {},
            ),
            (
                "operation-sunset-brought-forward",
                W,
                "The sunset date of a deprecated operation moved earlier.",
                "{subject}: sunset moved from {old} to {new}",
                {"deprecated": True, "x-sunset": SUNSET},
                {"deprecated": True, "x-sunset": "2998-01-01"},
            ),
            (
                "operation-sunset-postponed",
                INFO,
                "The sunset date of a deprecated operation moved later.",
                "{subject}: sunset moved from {old} to {new}",
                {"deprecated": True, "x-sunset": "2998-01-01"},
                {"deprecated": True, "x-sunset": SUNSET},
            ),
            (
                "operation-id-changed",
                INFO,
                "The operationId changed (generated clients rename the method).",
                "{subject}: operationId changed from {old} to {new}",
                {"operationId": "createOrder"},
                {"operationId": "placeOrder"},
            ),
            (
                "operation-id-added",
                INFO,
                "An operationId was added.",
                "{subject}: operationId {new} added",
                {"operationId": None},
                {"operationId": "createOrder"},
            ),
            (
                "operation-id-removed",
                INFO,
                "The operationId was removed.",
                "{subject}: operationId {old} removed",
                {"operationId": "createOrder"},
                {"operationId": None},
            ),
            (
                "operation-tag-added",
                INFO,
                "A tag was added to an operation.",
                "{subject}: tag {new} added",
                {"tags": ["orders"]},
                {"tags": ["orders", "sales"]},
            ),
            (
                "operation-tag-removed",
                INFO,
                "A tag was removed from an operation.",
                "{subject}: tag {old} removed",
                {"tags": ["orders", "sales"]},
                {"tags": ["orders"]},
            ),
            (
                "operation-summary-changed",
                INFO,
                "The summary changed.",
                "{subject}: summary changed",
                {"summary": "Create an order"},
                {"summary": "Place an order"},
            ),
            (
                "operation-description-changed",
                INFO,
                "The description changed.",
                "{subject}: description changed",
                {"description": "Old."},
                {"description": "New."},
            ),
            (
                "operation-server-added",
                INFO,
                "An operation-level server was added.",
                "{subject}: server {new} added",
                {},
                {"servers": [{"url": "https://a.example"}]},
            ),
            (
                "operation-server-removed",
                W,
                "An operation-level server was removed: clients using it lose the operation.",
                "{subject}: server {old} removed",
                {"servers": [{"url": "https://a.example"}, {"url": "https://b.example"}]},
                {"servers": [{"url": "https://a.example"}]},
            ),
        ],
    )
