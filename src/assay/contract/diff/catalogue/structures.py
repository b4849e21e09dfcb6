"""Structure checks: additionalProperties, oneOf/anyOf/allOf branches, discriminators."""

from __future__ import annotations

from typing import Any

from assay.contract.diff.catalogue.checks import NARROW, WIDEN, SchemaCheck
from assay.contract.diff.catalogue.checks import check as _c
from assay.contract.diff.rules import Level

__all__ = ["structure_checks"]

E, W, INFO = Level.ERR, Level.WARN, Level.INFO
STR: dict[str, Any] = {"type": "string"}
INT: dict[str, Any] = {"type": "integer"}
OBJ: dict[str, Any] = {"type": "object", "properties": {"id": STR}}
REQ: dict[str, Any] = {"type": "object", "required": ["id"]}
MINP: dict[str, Any] = {"type": "object", "minProperties": 1}
BRANCHES: list[dict[str, Any]] = [STR, INT]
KIND = {"type": "object", "properties": {"kind": STR}}
DISC: dict[str, Any] = {"oneOf": [KIND, KIND], "discriminator": {"propertyName": "kind"}}
MAP = {"a": "#/components/schemas/A", "b": "#/components/schemas/B"}


def _object_checks() -> list[SchemaCheck]:
    mapped = {"oneOf": [KIND, KIND], "discriminator": {"propertyName": "kind", "mapping": MAP}}
    return [
        _c(
            "additional-properties-narrowed",
            NARROW,
            "Fewer extra properties are allowed.",
            "additionalProperties narrowed",
            OBJ,
            {**OBJ, "additionalProperties": False},
            objects_only=True,
        ),
        _c(
            "additional-properties-widened",
            (INFO, W),
            "More extra properties are allowed.",
            "additionalProperties widened",
            {**OBJ, "additionalProperties": False},
            OBJ,
            objects_only=True,
        ),
        _c(
            "one-of-branch-added",
            WIDEN,
            "A oneOf alternative was added.",
            "oneOf alternative {new} added",
            {"oneOf": BRANCHES},
            {"oneOf": [*BRANCHES, {"type": "boolean"}]},
            objects_only=True,
        ),
        _c(
            "one-of-branch-removed",
            NARROW,
            "A oneOf alternative was removed.",
            "oneOf alternative {old} removed",
            {"oneOf": [*BRANCHES, {"type": "boolean"}]},
            {"oneOf": BRANCHES},
            objects_only=True,
        ),
        _c(
            "any-of-branch-added",
            WIDEN,
            "An anyOf alternative was added.",
            "anyOf alternative {new} added",
            {"anyOf": BRANCHES},
            {"anyOf": [*BRANCHES, {"type": "boolean"}]},
            objects_only=True,
        ),
        _c(
            "any-of-branch-removed",
            NARROW,
            "An anyOf alternative was removed.",
            "anyOf alternative {old} removed",
            {"anyOf": [*BRANCHES, {"type": "boolean"}]},
            {"anyOf": BRANCHES},
            objects_only=True,
        ),
        _c(
            "all-of-branch-added",
            NARROW,
            "An allOf part was added: more must hold.",
            "allOf part {new} added",
            {"allOf": [OBJ, REQ]},
            {"allOf": [OBJ, REQ, MINP]},
            objects_only=True,
        ),
        _c(
            "all-of-branch-removed",
            (INFO, W),
            "An allOf part was removed: less is guaranteed.",
            "allOf part {old} removed",
            {"allOf": [OBJ, REQ, MINP]},
            {"allOf": [OBJ, REQ]},
            objects_only=True,
        ),
        _c(
            "discriminator-added",
            (W, INFO),
            "A discriminator now selects the alternative.",
            "discriminator on {new} added",
            {"oneOf": [KIND, KIND]},
            DISC,
            objects_only=True,
        ),
        _c(
            "discriminator-removed",
            (INFO, W),
            "The discriminator was removed.",
            "discriminator on {old} removed",
            DISC,
            {"oneOf": [KIND, KIND]},
            objects_only=True,
        ),
        _c(
            "discriminator-property-changed",
            (E, E),
            "The discriminator property changed.",
            "discriminator property changed from {old} to {new}",
            DISC,
            {**DISC, "discriminator": {"propertyName": "type"}},
            objects_only=True,
        ),
        _c(
            "discriminator-mapping-added",
            WIDEN,
            "A discriminator mapping value was added.",
            "discriminator value {new} added",
            {**mapped, "discriminator": {"propertyName": "kind", "mapping": {"a": MAP["a"]}}},
            mapped,
            objects_only=True,
        ),
        _c(
            "discriminator-mapping-removed",
            NARROW,
            "A discriminator mapping value was removed.",
            "discriminator value {old} removed",
            mapped,
            {**mapped, "discriminator": {"propertyName": "kind", "mapping": {"a": MAP["a"]}}},
            objects_only=True,
        ),
        _c(
            "discriminator-mapping-changed",
            (E, E),
            "A discriminator value maps elsewhere.",
            "discriminator value {name} maps to {new} instead of {old}",
            mapped,
            {
                **mapped,
                "discriminator": {
                    "propertyName": "kind",
                    "mapping": {"a": MAP["b"], "b": MAP["b"]},
                },
            },
            objects_only=True,
        ),
    ]


def structure_checks() -> list[SchemaCheck]:
    return _object_checks()
