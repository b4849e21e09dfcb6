"""`Site`: where a pair of schemas sits (side, place, names, both pointers)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from assay.contract.diff.catalogue.checks import OBJECT_PLACES
from assay.contract.diff.changes import ChangeLog
from assay.spec.pointers import escape_pointer_token

__all__ = ["Site"]


@dataclass(frozen=True, slots=True)
class Site:
    """A schema's location on both sides, and how messages name it.

    `place` is one of the schema places (``request-body``, ``response-property``, …);
    `where` names the container (``request body (application/json)``); `path` is the
    property path inside it (``lines[].qty``), empty at the root.
    """

    place: str
    operation: str | None
    where: str
    old: str
    new: str
    path: str = ""

    @property
    def side(self) -> str:
        return self.place.split("-", 1)[0]

    @property
    def subject(self) -> str:
        head = f"{self.operation} {self.where}" if self.operation else self.where
        return f"{head} property '{self.path}'" if self.path else head

    @property
    def container(self) -> str:
        """How property rules name the object that holds a property."""
        return f"{self.operation} {self.where}" if self.operation else self.where

    def child(self, old_token: str, new_token: str, segment: str) -> Site:
        """The site of a nested schema (a property, the items, additionalProperties)."""
        path = (
            f"{self.path}.{segment}" if self.path and segment[:1] != "[" else (self.path + segment)
        )
        return Site(
            f"{self.side}-property",
            self.operation,
            self.where,
            f"{self.old}/{old_token}",
            f"{self.new}/{new_token}",
            path,
        )

    def branch(self, keyword: str, old_index: int, new_index: int) -> Site:
        return replace(
            self, old=f"{self.old}/{keyword}/{old_index}", new=f"{self.new}/{keyword}/{new_index}"
        )

    def emit(self, log: ChangeLog, check: str, *, objects: bool = False, **fields: Any) -> None:
        """Report schema check `check` here (object-only checks use the property place)."""
        place = self.place
        if objects and place not in OBJECT_PLACES:
            place = f"{self.side}-property"
        log.add(
            f"{place}-{check}", self.old, self.new, self.operation, subject=self.subject, **fields
        )

    def emit_property(self, log: ChangeLog, rule: str, name: str, **fields: Any) -> None:
        """Report a property rule (``request-property-removed``) for property `name`."""
        token = escape_pointer_token(name)
        log.add(
            f"{self.side}-{rule}",
            fields.pop("old_pointer", f"{self.old}/properties/{token}"),
            fields.pop("new_pointer", f"{self.new}/properties/{token}"),
            self.operation,
            subject=self.container,
            name=f"'{self.path + '.' if self.path else ''}{name}'",
            **fields,
        )
