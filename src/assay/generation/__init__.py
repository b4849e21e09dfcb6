"""The generation layer: concrete requests (`Case`s) from the spec's schemas.

Phases of the engine ask this layer for cases: spec examples and realistic values
(`examples`), deterministic boundary and invalid values (`boundary`), property-based
cases (`fuzz`) and multi-step scenarios (`stateful`).
"""

from assay.generation.cases import UNSET, Case, CaseKind

__all__ = ["UNSET", "Case", "CaseKind"]
