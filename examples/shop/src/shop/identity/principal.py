"""Who is calling: the value every protected operation receives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

PrincipalKind = Literal["user", "service", "console"]


@dataclass(frozen=True)
class Principal:
    """An authenticated caller.

    ``subject`` is a stable opaque id (a user id, or a client/service name for machines);
    ``scopes`` are what this request may do — already reduced to what the caller still
    holds, so a demoted user loses scopes at once, not when their token expires.
    """

    subject: str
    roles: frozenset[str]
    scopes: frozenset[str]
    kind: PrincipalKind
    client_id: str | None

    def has_scopes(self, *scopes: str) -> bool:
        """True when the principal holds every scope in ``scopes``."""
        return self.scopes.issuperset(scopes)
