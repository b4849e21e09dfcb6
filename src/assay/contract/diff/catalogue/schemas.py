"""Schema rules: one rule per schema check and place, with the level set by direction.

A request schema that accepts fewer values than before breaks clients that send the
values it no longer accepts (narrowing is breaking); a response schema that allows more
values breaks clients that do not expect them (widening is breaking). Each `SchemaCheck`
is therefore registered once per place — ``request-parameter``, ``request-body``,
``request-property``, ``response-body``, ``response-property``, ``response-header`` —
with the request or the response level.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from assay.contract.diff.rules import Example, Level, Rule

__all__ = ["OBJECT_PLACES", "PLACES", "SCHEMA_CHECKS", "SchemaCheck", "schema_rules"]

E, W, INFO = Level.ERR, Level.WARN, Level.INFO

PLACES: tuple[str, ...] = (
    "request-parameter",
    "request-body",
    "request-property",
    "response-body",
    "response-property",
    "response-header",
)
OBJECT_PLACES = frozenset(
    {"request-body", "request-property", "response-body", "response-property"}
)


@dataclass(frozen=True, slots=True)
class SchemaCheck:
    """One schema comparison; `request`/`response` are its levels on either side."""

    name: str
    request: Level
    response: Level
    summary: str
    detail: str
    old: Mapping[str, Any]
    new: Mapping[str, Any]
    objects_only: bool = False


def _c(  # noqa: PLR0917 (a table row)
    name: str,
    levels: tuple[Level, Level],
    summary: str,
    detail: str,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    *,
    objects_only: bool = False,
) -> SchemaCheck:
    return SchemaCheck(name, levels[0], levels[1], summary, detail, old, new, objects_only)


NARROW, WIDEN = (E, INFO), (INFO, E)
STR: dict[str, Any] = {"type": "string"}
INT: dict[str, Any] = {"type": "integer"}
ARR: dict[str, Any] = {"type": "array", "items": {"type": "string"}}


def _bound_checks(
    word: str, key: str, base: dict[str, Any], low: int, high: int
) -> list[SchemaCheck]:
    """The four checks of one upper (max*) or lower (min*) bound keyword."""
    upper = word.startswith("max")
    tighter, looser = (low, high) if upper else (high, low)
    what = f"`{key}`"
    return [
        _c(
            f"{word}-decreased" if upper else f"{word}-increased",
            NARROW,
            f"{what} tightened: requests allowed before are rejected.",
            f"{key} {'decreased' if upper else 'increased'} from {{old}} to {{new}}",
            {**base, key: looser},
            {**base, key: tighter},
        ),
        _c(
            f"{word}-increased" if upper else f"{word}-decreased",
            WIDEN,
            f"{what} loosened: responses may hold values clients did not expect.",
            f"{key} {'increased' if upper else 'decreased'} from {{old}} to {{new}}",
            {**base, key: tighter},
            {**base, key: looser},
        ),
        _c(
            f"{word}-added",
            NARROW,
            f"A {what} bound was added where there was none.",
            f"{key} {{new}} added",
            base,
            {**base, key: tighter},
        ),
        _c(
            f"{word}-removed",
            WIDEN,
            f"The {what} bound was removed.",
            f"{key} {{old}} removed",
            {**base, key: tighter},
            base,
        ),
    ]


def _primitive_checks() -> list[SchemaCheck]:
    checks = [
        _c(
            "type-changed",
            (E, E),
            "The type changed to one that does not include the old one.",
            "type changed from {old} to {new}",
            STR,
            INT,
        ),
        _c(
            "type-widened",
            WIDEN,
            "The type now admits more (integer to number, a type added).",
            "type widened from {old} to {new}",
            INT,
            {"type": "number"},
        ),
        _c(
            "type-narrowed",
            NARROW,
            "The type now admits less (number to integer, a type removed).",
            "type narrowed from {old} to {new}",
            {"type": "number"},
            INT,
        ),
        _c(
            "format-changed",
            (E, E),
            "The format changed (date to date-time, …).",
            "format changed from {old} to {new}",
            {**STR, "format": "date"},
            {**STR, "format": "date-time"},
        ),
        _c(
            "format-added",
            NARROW,
            "A format was added: values must now match it.",
            "format {new} added",
            STR,
            {**STR, "format": "uuid"},
        ),
        _c(
            "format-removed",
            (INFO, W),
            "The format was removed: values may no longer match it.",
            "format {old} removed",
            {**STR, "format": "uuid"},
            STR,
        ),
        _c(
            "enum-value-added",
            WIDEN,
            "A new enum value: clients may receive a value they cannot handle.",
            "enum value {new} added",
            {**STR, "enum": ["a", "b"]},
            {**STR, "enum": ["a", "b", "c"]},
        ),
        _c(
            "enum-value-removed",
            NARROW,
            "An enum value was removed: requests with it fail.",
            "enum value {old} removed",
            {**STR, "enum": ["a", "b", "c"]},
            {**STR, "enum": ["a", "b"]},
        ),
        _c(
            "enum-added",
            NARROW,
            "An enum now restricts the values.",
            "enum {new} added",
            STR,
            {**STR, "enum": ["a", "b"]},
        ),
        _c(
            "enum-removed",
            WIDEN,
            "The enum was removed: any value of the type is allowed.",
            "enum {old} removed",
            {**STR, "enum": ["a", "b"]},
            STR,
        ),
    ]
    checks += _bound_checks("max", "maximum", INT, 10, 100)
    checks += _bound_checks("min", "minimum", INT, 1, 10)
    checks += _bound_checks("max-length", "maxLength", STR, 10, 100)
    checks += _bound_checks("min-length", "minLength", STR, 1, 10)
    checks += _bound_checks("max-items", "maxItems", ARR, 10, 100)
    checks += _bound_checks("min-items", "minItems", ARR, 1, 10)
    checks += _bound_checks("max-properties", "maxProperties", {"type": "object"}, 2, 10)
    checks += _bound_checks("min-properties", "minProperties", {"type": "object"}, 1, 2)
    return checks + _value_checks()


def _value_checks() -> list[SchemaCheck]:
    return [
        _c(
            "pattern-changed",
            (E, W),
            "The pattern changed: values valid before may not be.",
            "pattern changed from {old} to {new}",
            {**STR, "pattern": "^[a-z]+$"},
            {**STR, "pattern": "^[0-9]+$"},
        ),
        _c(
            "pattern-added",
            NARROW,
            "A pattern now restricts the values.",
            "pattern {new} added",
            STR,
            {**STR, "pattern": "^[a-z]+$"},
        ),
        _c(
            "pattern-removed",
            (INFO, W),
            "The pattern was removed.",
            "pattern {old} removed",
            {**STR, "pattern": "^[a-z]+$"},
            STR,
        ),
        _c(
            "multiple-of-changed",
            (E, E),
            "multipleOf changed.",
            "multipleOf changed from {old} to {new}",
            {**INT, "multipleOf": 2},
            {**INT, "multipleOf": 3},
        ),
        _c(
            "multiple-of-added",
            NARROW,
            "multipleOf now restricts the values.",
            "multipleOf {new} added",
            INT,
            {**INT, "multipleOf": 5},
        ),
        _c(
            "multiple-of-removed",
            WIDEN,
            "The multipleOf restriction was removed.",
            "multipleOf {old} removed",
            {**INT, "multipleOf": 5},
            INT,
        ),
        _c(
            "unique-items-added",
            NARROW,
            "Array items must now be unique.",
            "uniqueItems added",
            ARR,
            {**ARR, "uniqueItems": True},
        ),
        _c(
            "unique-items-removed",
            WIDEN,
            "Array items may now repeat.",
            "uniqueItems removed",
            {**ARR, "uniqueItems": True},
            ARR,
        ),
        _c(
            "default-changed",
            (W, INFO),
            "The default changed: omitting the value now means something else.",
            "default changed from {old} to {new}",
            {**STR, "default": "a"},
            {**STR, "default": "b"},
        ),
        _c(
            "default-added",
            (INFO, INFO),
            "A default was documented.",
            "default {new} added",
            STR,
            {**STR, "default": "a"},
        ),
        _c(
            "default-removed",
            (W, INFO),
            "The default was removed: omitting the value may now mean something else.",
            "default {old} removed",
            {**STR, "default": "a"},
            STR,
        ),
        _c(
            "nullable-added",
            WIDEN,
            "null is now allowed (nullable / a null type).",
            "became nullable",
            STR,
            {"type": ["string", "null"]},
        ),
        _c(
            "nullable-removed",
            NARROW,
            "null is no longer allowed.",
            "is no longer nullable",
            {"type": ["string", "null"]},
            STR,
        ),
    ]


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


def _all_checks() -> tuple[SchemaCheck, ...]:
    return (*_primitive_checks(), *_object_checks())


SCHEMA_CHECKS = _all_checks


def schema_rules() -> Iterator[Rule]:
    """Every (place, check) rule, grouped by place."""
    checks = _all_checks()
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
