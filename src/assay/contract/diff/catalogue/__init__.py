"""The rule catalogue, one module per area; `catalogue` lists every rule in order."""

from __future__ import annotations

from assay.contract.diff.rules import Rule

__all__ = ["catalogue"]


def catalogue() -> list[Rule]:
    from assay.contract.diff.catalogue.meta import document_rules
    from assay.contract.diff.catalogue.parameters import body_rules, parameter_rules
    from assay.contract.diff.catalogue.paths import operation_rules
    from assay.contract.diff.catalogue.properties import property_rules
    from assay.contract.diff.catalogue.responses import response_rules
    from assay.contract.diff.catalogue.schemas import schema_rules
    from assay.contract.diff.catalogue.security import security_rules

    return [
        *operation_rules(),
        *parameter_rules(),
        *body_rules(),
        *response_rules(),
        *security_rules(),
        *property_rules(),
        *schema_rules(),
        *document_rules(),
    ]
