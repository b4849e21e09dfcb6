"""Parameter rules: request parameters (path, query, header, cookie) and bodies."""

from __future__ import annotations

from typing import Any

from assay.contract.diff.rules import Level, Rule, table

__all__ = ["body_rules", "parameter_rules"]

E, W, INFO = Level.ERR, Level.WARN, Level.INFO
S: dict[str, Any] = {"type": "string"}
SUNSET = "2999-01-01"


def _q(**extra: Any) -> dict[str, Any]:
    return {"parameters": [{"name": "limit", "in": "query", "schema": S, **extra}]}


NONE: dict[str, Any] = {"parameters": []}


def parameter_rules() -> list[Rule]:
    return table(
        "parameters",
        "operation",
        [
            (
                "request-parameter-removed",
                W,
                "A request parameter was removed: clients still send it.",
                "{subject}: {name} parameter removed",
                _q(),
                NONE,
            ),
            (
                "request-required-parameter-added",
                E,
                "A new required parameter: existing clients do not send it.",
                "{subject}: new required {name} parameter",
                NONE,
                _q(required=True),
            ),
            (
                "request-optional-parameter-added",
                INFO,
                "A new optional parameter.",
                "{subject}: new optional {name} parameter",
                NONE,
                _q(),
            ),
            (
                "request-parameter-became-required",
                E,
                "An optional parameter became required.",
                "{subject}: {name} parameter became required",
                _q(),
                _q(required=True),
            ),
            (
                "request-parameter-became-optional",
                INFO,
                "A required parameter became optional.",
                "{subject}: {name} parameter became optional",
                _q(required=True),
                _q(),
            ),
            (
                "request-parameter-style-changed",
                E,
                "The serialization style changed: clients encode the value differently.",
                "{subject}: {name} parameter style changed from {old} to {new}",
                _q(style="form", explode=False),
                _q(style="spaceDelimited", explode=False),
            ),
            (
                "request-parameter-explode-changed",
                E,
                "explode changed: arrays and objects are encoded differently.",
                "{subject}: {name} parameter explode changed from {old} to {new}",
                _q(explode=True),
                _q(explode=False),
            ),
            (
                "request-parameter-allow-empty-value-removed",
                E,
                "Empty values are no longer allowed.",
                "{subject}: {name} parameter no longer allows empty values",
                _q(allowEmptyValue=True),
                _q(),
            ),
            (
                "request-parameter-allow-empty-value-added",
                INFO,
                "Empty values are now allowed.",
                "{subject}: {name} parameter allows empty values",
                _q(),
                _q(allowEmptyValue=True),
            ),
            (
                "request-parameter-allow-reserved-removed",
                W,
                "Reserved characters must now be percent-encoded.",
                "{subject}: {name} parameter no longer allows reserved characters",
                _q(allowReserved=True),
                _q(),
            ),
            (
                "request-parameter-allow-reserved-added",
                INFO,
                "Reserved characters may now be sent as they are.",
                "{subject}: {name} parameter allows reserved characters",
                _q(),
                _q(allowReserved=True),
            ),
            (
                "request-parameter-content-type-changed",
                E,
                "A content parameter's media type changed.",
                "{subject}: {name} parameter content changed from {old} to {new}",
                {
                    "parameters": [
                        {
                            "name": "limit",
                            "in": "query",
                            "content": {"application/json": {"schema": S}},
                        }
                    ]
                },
                {
                    "parameters": [
                        {"name": "limit", "in": "query", "content": {"text/plain": {"schema": S}}}
                    ]
                },
            ),
            (
                "request-parameter-deprecated",
                INFO,
                "A parameter was deprecated with a sunset date (x-sunset).",
                "{subject}: {name} parameter deprecated (sunset {new})",
                _q(),
                _q(deprecated=True, **{"x-sunset": SUNSET}),
            ),
            (
                "request-parameter-deprecated-without-sunset",
                W,
                "A parameter was deprecated without a sunset date.",
                "{subject}: {name} parameter deprecated without a sunset date",
                _q(),
                _q(deprecated=True),
            ),
            (
                "request-parameter-reactivated",
                INFO,
                "A deprecated parameter is no longer deprecated.",
                "{subject}: {name} parameter is no longer deprecated",
                _q(deprecated=True),
                _q(),
            ),
            (
                "request-parameter-removed-before-sunset",
                E,
                "A deprecated parameter was removed before its sunset date.",
                "{subject}: {name} parameter removed before its sunset {old}",
                _q(deprecated=True, **{"x-sunset": SUNSET}),
                NONE,
            ),
        ],
    )


def _body(required: bool = False, *types: str) -> dict[str, Any]:
    content = {t: {"schema": {"type": "object"}} for t in types or ("application/json",)}
    return {"requestBody": {"required": required, "content": content}}


def body_rules() -> list[Rule]:
    return table(
        "bodies",
        "operation",
        [
            (
                "request-required-body-added",
                E,
                "A required request body where there was none.",
                "{subject}: request body added (required)",
                {},
                _body(True),
            ),
            (
                "request-optional-body-added",
                INFO,
                "An optional request body was added.",
                "{subject}: optional request body added",
                {},
                _body(),
            ),
            (
                "request-body-removed",
                W,
                "The request body was removed: clients still send one.",
                "{subject}: request body removed",
                _body(),
                {},
            ),
            (
                "request-body-became-required",
                E,
                "The request body became required.",
                "{subject}: request body became required",
                _body(),
                _body(True),
            ),
            (
                "request-body-became-optional",
                INFO,
                "The request body became optional.",
                "{subject}: request body became optional",
                _body(True),
                _body(),
            ),
            (
                "request-media-type-removed",
                E,
                "A request media type is no longer accepted.",
                "{subject}: request media type {old} removed",
                _body(False, "application/json", "application/xml"),
                _body(),
            ),
            (
                "request-media-type-added",
                INFO,
                "A new request media type is accepted.",
                "{subject}: request media type {new} added",
                _body(),
                _body(False, "application/json", "application/xml"),
            ),
        ],
    )
