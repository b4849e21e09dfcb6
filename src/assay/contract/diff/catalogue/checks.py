"""Schema checks: the comparisons every schema place shares, with a level per side.

A request schema that accepts fewer values than before breaks clients that send the
values it no longer accepts (narrowing is breaking); a response schema that allows more
values breaks clients that do not expect them (widening is breaking). A `SchemaCheck`
therefore carries two levels, and `schema_rules` registers it once per place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assay.contract.diff.rules import Level

__all__ = ["NARROW", "OBJECT_PLACES", "PLACES", "WIDEN", "SchemaCheck", "check"]

E, INFO = Level.ERR, Level.INFO

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


def check(  # noqa: PLR0917 (a table row)
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
