"""Property rules: object properties removed, added, made required or optional, …

These fire wherever an object schema sits (a body, a nested property, an array's items);
their ids name the side only (``request-property-removed``), the message names the
property by its path (``customer.address.zip``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from assay.contract.diff.rules import Example, Level, Rule

__all__ = ["property_rules"]

E, W, INFO = Level.ERR, Level.WARN, Level.INFO


def _obj(*, required: list[str] | None = None, **props: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": dict(props)}
    if required:
        schema["required"] = required
    return schema


S: dict[str, Any] = {"type": "string"}
BASE = _obj(id=S)
WITH_QTY = _obj(id=S, qty=S)
QTY_REQUIRED = _obj(id=S, qty=S, required=["qty"])
SUNSET = "2999-01-01"

_TABLE: list[tuple[str, str, Level, str, str, dict[str, Any], dict[str, Any]]] = [
    (
        "request",
        "property-removed",
        W,
        "A request property was removed: clients still send it and a strict server may reject it.",
        "request property {name} removed",
        WITH_QTY,
        BASE,
    ),
    (
        "request",
        "required-property-added",
        E,
        "A new required request property: existing clients do not send it.",
        "new required request property {name}",
        BASE,
        QTY_REQUIRED,
    ),
    (
        "request",
        "optional-property-added",
        INFO,
        "A new optional request property.",
        "new optional request property {name}",
        BASE,
        WITH_QTY,
    ),
    (
        "request",
        "property-became-required",
        E,
        "An optional request property became required.",
        "request property {name} became required",
        WITH_QTY,
        QTY_REQUIRED,
    ),
    (
        "request",
        "property-became-optional",
        INFO,
        "A required request property became optional.",
        "request property {name} became optional",
        QTY_REQUIRED,
        WITH_QTY,
    ),
    (
        "request",
        "property-became-read-only",
        W,
        "A request property became readOnly: values clients send are ignored.",
        "request property {name} became read-only",
        WITH_QTY,
        _obj(id=S, qty={**S, "readOnly": True}),
    ),
    (
        "request",
        "property-read-only-removed",
        INFO,
        "A readOnly property may now be sent.",
        "request property {name} is no longer read-only",
        _obj(id=S, qty={**S, "readOnly": True}),
        WITH_QTY,
    ),
    (
        "request",
        "property-deprecated",
        INFO,
        "A request property was deprecated with a sunset date (x-sunset).",
        "request property {name} deprecated (sunset {new})",
        WITH_QTY,
        _obj(id=S, qty={**S, "deprecated": True, "x-sunset": SUNSET}),
    ),
    (
        "request",
        "property-deprecated-without-sunset",
        W,
        "A request property was deprecated "
        "without a sunset date (x-sunset): clients cannot plan the migration.",
        "request property {name} deprecated without a sunset date",
        WITH_QTY,
        _obj(id=S, qty={**S, "deprecated": True}),
    ),
    (
        "request",
        "property-reactivated",
        INFO,
        "A deprecated request property is no longer deprecated.",
        "request property {name} is no longer deprecated",
        _obj(id=S, qty={**S, "deprecated": True}),
        WITH_QTY,
    ),
    (
        "request",
        "property-removed-before-sunset",
        E,
        "A deprecated request property was removed before its sunset date.",
        "request property {name} removed before its sunset {old}",
        _obj(id=S, qty={**S, "deprecated": True, "x-sunset": SUNSET}),
        BASE,
    ),
    (
        "response",
        "required-property-removed",
        E,
        "A response property that was always present is gone.",
        "required response property {name} removed",
        QTY_REQUIRED,
        BASE,
    ),
    (
        "response",
        "optional-property-removed",
        W,
        "An optional response property is gone.",
        "optional response property {name} removed",
        WITH_QTY,
        BASE,
    ),
    (
        "response",
        "property-added",
        INFO,
        "A new response property.",
        "new response property {name}",
        BASE,
        WITH_QTY,
    ),
    (
        "response",
        "property-became-optional",
        E,
        "A response property that was always present may now be missing.",
        "response property {name} became optional",
        QTY_REQUIRED,
        WITH_QTY,
    ),
    (
        "response",
        "property-became-required",
        INFO,
        "A response property is now always present.",
        "response property {name} became required",
        WITH_QTY,
        QTY_REQUIRED,
    ),
    (
        "response",
        "property-became-write-only",
        E,
        "A response property became writeOnly: it is no longer returned.",
        "response property {name} became write-only",
        WITH_QTY,
        _obj(id=S, qty={**S, "writeOnly": True}),
    ),
    (
        "response",
        "property-write-only-removed",
        INFO,
        "A writeOnly property is now returned.",
        "response property {name} is no longer write-only",
        _obj(id=S, qty={**S, "writeOnly": True}),
        WITH_QTY,
    ),
    (
        "response",
        "property-deprecated",
        INFO,
        "A response property was deprecated with a sunset date (x-sunset).",
        "response property {name} deprecated (sunset {new})",
        WITH_QTY,
        _obj(id=S, qty={**S, "deprecated": True, "x-sunset": SUNSET}),
    ),
    (
        "response",
        "property-deprecated-without-sunset",
        W,
        "A response property was deprecated without a sunset date (x-sunset).",
        "response property {name} deprecated without a sunset date",
        WITH_QTY,
        _obj(id=S, qty={**S, "deprecated": True}),
    ),
    (
        "response",
        "property-reactivated",
        INFO,
        "A deprecated response property is no longer deprecated.",
        "response property {name} is no longer deprecated",
        _obj(id=S, qty={**S, "deprecated": True}),
        WITH_QTY,
    ),
    (
        "response",
        "property-removed-before-sunset",
        E,
        "A deprecated response property was removed before its sunset date.",
        "response property {name} removed before its sunset {old}",
        _obj(id=S, qty={**S, "deprecated": True, "x-sunset": SUNSET}),
        BASE,
    ),
]


def property_rules() -> Iterator[Rule]:
    for side, name, level, summary, message, old, new in _TABLE:
        yield Rule(
            id=f"{side}-{name}",
            level=level,
            summary=summary,
            message="{subject}: " + message,
            example=Example("schema", old, new, f"{side}-body"),
            area="properties",
        )
