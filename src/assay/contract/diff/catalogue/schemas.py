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
from assay.contract.diff.rules import Example, Rule

__all__ = ["schema_checks", "schema_rules"]


def schema_checks() -> tuple[SchemaCheck, ...]:
    from assay.contract.diff.catalogue.constraints import constraint_checks
    from assay.contract.diff.catalogue.structures import structure_checks

    return (*constraint_checks(), *structure_checks())


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
                summary=check.summary,
                message="{subject}: " + check.detail,
                example=Example("schema", check.old, check.new, place),
                area="schemas",
            )
