"""Constraint checks: type, format, enum, numeric bounds, lengths, items, pattern, …"""

from __future__ import annotations

from typing import Any

from assay.contract.diff.catalogue.checks import NARROW, WIDEN, SchemaCheck
from assay.contract.diff.catalogue.checks import check as _c
from assay.contract.diff.rules import Level

__all__ = ["constraint_checks"]

E, W, INFO = Level.ERR, Level.WARN, Level.INFO
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
            f"{what} {'lowered' if upper else 'raised'}: fewer values are valid.",
            f"{key} {'decreased' if upper else 'increased'} from {{old}} to {{new}}",
            {**base, key: looser},
            {**base, key: tighter},
        ),
        _c(
            f"{word}-increased" if upper else f"{word}-decreased",
            WIDEN,
            f"{what} {'raised' if upper else 'lowered'}: more values are valid.",
            f"{key} {'increased' if upper else 'decreased'} from {{old}} to {{new}}",
            {**base, key: tighter},
            {**base, key: looser},
        ),
        _c(
            f"{word}-added",
            NARROW,
            f"A {what} bound was added: fewer values are valid.",
            f"{key} {{new}} added",
            base,
            {**base, key: tighter},
        ),
        _c(
            f"{word}-removed",
            WIDEN,
            f"The {what} bound was removed: more values are valid.",
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
            "format-widened",
            WIDEN,
            "The format now admits larger values (int32 to int64, float to double).",
            "format widened from {old} to {new}",
            {**INT, "format": "int32"},
            {**INT, "format": "int64"},
        ),
        _c(
            "format-narrowed",
            NARROW,
            "The format now admits smaller values (int64 to int32, double to float).",
            "format narrowed from {old} to {new}",
            {**INT, "format": "int64"},
            {**INT, "format": "int32"},
        ),
        _c(
            "enum-value-added",
            WIDEN,
            "A new enum value is allowed.",
            "enum value {new} added",
            {**STR, "enum": ["a", "b"]},
            {**STR, "enum": ["a", "b", "c"]},
        ),
        _c(
            "enum-value-removed",
            NARROW,
            "An enum value is no longer allowed.",
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


def constraint_checks() -> list[SchemaCheck]:
    return _primitive_checks()
