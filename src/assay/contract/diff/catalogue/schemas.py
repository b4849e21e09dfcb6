"""Schema rules: one rule per schema check and place, with the level set by direction.

A request schema that accepts fewer values than before breaks clients that send the
values it no longer accepts (narrowing is breaking); a response schema that allows more
values breaks clients that do not expect them (widening is breaking). Each `SchemaCheck`
is therefore registered once per place — ``request-parameter``, ``request-body``,
``request-property``, ``response-body``, ``response-property``, ``response-header`` —
with the request or the response level.
"""

from __future__ import annotations

from collections.abc import Iterator

from assay.contract.diff.catalogue.checks import OBJECT_PLACES, PLACES, SchemaCheck
from assay.contract.diff.rules import Example, Level, Rule

__all__ = ["direction", "schema_checks", "schema_rules"]


def schema_checks() -> tuple[SchemaCheck, ...]:
    from assay.contract.diff.catalogue.constraints import constraint_checks
    from assay.contract.diff.catalogue.structures import structure_checks

    return (*constraint_checks(), *structure_checks())


_EFFECT = {
    ("request", Level.ERR): "Breaking in a request: values clients send today may be rejected.",
    ("request", Level.WARN): "A warning in a request: some values clients send may be "
    "rejected or mean something else.",
    ("request", Level.INFO): "Compatible in a request: what clients send today is still accepted.",
    ("response", Level.ERR): "Breaking in a response: clients may receive values they do "
    "not handle.",
    ("response", Level.WARN): "A warning in a response: clients relying on the old schema "
    "should be checked.",
    ("response", Level.INFO): "Compatible in a response: clients receive values they "
    "already handle.",
}


def direction(place: str, check: SchemaCheck) -> str:
    """What the check means on the side of `place`, by its level there."""
    side = place.split("-", 1)[0]
    return _EFFECT[side, check.response if side == "response" else check.request]


def schema_rules() -> Iterator[Rule]:
    """Every (place, check) rule, grouped by place."""
    checks = schema_checks()
    for place in PLACES:
        response = place.startswith("response")
        for check in checks:
            if check.objects_only and place not in OBJECT_PLACES:
                continue
            yield Rule(
                id=f"{place}-{check.name}",
                level=check.response if response else check.request,
                summary=f"{check.summary} {direction(place, check)}",
                message="{subject}: " + check.detail,
                example=Example("schema", check.old, check.new, place),
                area="schemas",
            )
