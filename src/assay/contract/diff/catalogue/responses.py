"""Response rules: statuses (codes, ranges, default), media types, headers and links."""

from __future__ import annotations

from typing import Any

from assay.contract.diff.rules import Level, Rule, table

__all__ = ["response_rules"]

E, W, INFO = Level.ERR, Level.WARN, Level.INFO
OK: dict[str, Any] = {"description": "OK"}


def _r(**statuses: dict[str, Any]) -> dict[str, Any]:
    return {"responses": {k.removeprefix("s"): v for k, v in statuses.items()}}


def _media(*types: str) -> dict[str, Any]:
    return _r(s200={**OK, "content": {t: {"schema": {"type": "object"}} for t in types}})


def _headers(**headers: dict[str, Any]) -> dict[str, Any]:
    return _r(s200={**OK, "headers": headers})


H: dict[str, Any] = {"schema": {"type": "string"}}
LINK: dict[str, Any] = {"operationId": "getOrder", "parameters": {"id": "$response.body#/id"}}


def _links(**links: dict[str, Any]) -> dict[str, Any]:
    return _r(s200={**OK, "links": links})


def response_rules() -> list[Rule]:
    return table(
        "responses",
        "operation",
        [
            (
                "response-success-status-removed",
                E,
                "A success status is no longer returned.",
                "{subject}: response {old} removed",
                _r(s200=OK, s201=OK),
                _r(s200=OK),
            ),
            (
                "response-error-status-removed",
                INFO,
                "An error status is no longer documented.",
                "{subject}: response {old} removed",
                _r(s200=OK, s404=OK),
                _r(s200=OK),
            ),
            (
                "response-success-status-added",
                W,
                "A new success status: clients may not handle it.",
                "{subject}: response {new} added",
                _r(s200=OK),
                _r(s200=OK, s202=OK),
            ),
            (
                "response-error-status-added",
                INFO,
                "A new error status is documented.",
                "{subject}: response {new} added",
                _r(s200=OK),
                _r(s200=OK, s404=OK),
            ),
            (
                "response-default-removed",
                W,
                "The default response was removed.",
                "{subject}: default response removed",
                _r(s200=OK, default=OK),
                _r(s200=OK),
            ),
            (
                "response-default-added",
                INFO,
                "A default response was added.",
                "{subject}: default response added",
                _r(s200=OK),
                _r(s200=OK, default=OK),
            ),
            (
                "response-status-merged-into-range",
                INFO,
                "A status is now covered by a range (404 into 4XX) or by default.",
                "{subject}: response {old} now covered by {new}",
                _r(s200=OK, s404=OK),
                _r(s200=OK, s4XX=OK),
            ),
            (
                "response-media-type-removed",
                E,
                "A response media type is gone.",
                "{subject}: response {name} media type {old} removed",
                _media("application/json", "application/xml"),
                _media("application/json"),
            ),
            (
                "response-media-type-added",
                INFO,
                "A new response media type.",
                "{subject}: response {name} media type {new} added",
                _media("application/json"),
                _media("application/json", "application/xml"),
            ),
            (
                "response-required-header-removed",
                E,
                "A required response header is gone.",
                "{subject}: required response header {name} removed",
                _headers(**{"X-Rate": {**H, "required": True}}),
                _headers(),
            ),
            (
                "response-optional-header-removed",
                W,
                "An optional response header is gone.",
                "{subject}: response header {name} removed",
                _headers(**{"X-Rate": H}),
                _headers(),
            ),
            (
                "response-header-added",
                INFO,
                "A new response header.",
                "{subject}: response header {name} added",
                _headers(),
                _headers(**{"X-Rate": H}),
            ),
            (
                "response-header-became-optional",
                E,
                "A response header may now be missing.",
                "{subject}: response header {name} became optional",
                _headers(**{"X-Rate": {**H, "required": True}}),
                _headers(**{"X-Rate": H}),
            ),
            (
                "response-header-became-required",
                INFO,
                "A response header is now always sent.",
                "{subject}: response header {name} became required",
                _headers(**{"X-Rate": H}),
                _headers(**{"X-Rate": {**H, "required": True}}),
            ),
            (
                "response-link-removed",
                W,
                "A response link was removed.",
                "{subject}: link {name} removed",
                _links(order=LINK),
                _links(),
            ),
            (
                "response-link-added",
                INFO,
                "A response link was added.",
                "{subject}: link {name} added",
                _links(),
                _links(order=LINK),
            ),
            (
                "response-link-target-changed",
                W,
                "A link now points at another operation.",
                "{subject}: link {name} target changed from {old} to {new}",
                _links(order=LINK),
                _links(order={**LINK, "operationId": "showOrder"}),
            ),
            (
                "response-link-parameters-changed",
                W,
                "A link passes different parameters.",
                "{subject}: link {name} parameters changed",
                _links(order=LINK),
                _links(order={**LINK, "parameters": {"order_id": "$response.body#/id"}}),
            ),
        ],
    )
