"""Seeded defects: realistic bugs a service can switch on (``SHOP_DEFECTS=a,b``).

A service registers each of its defects when its module is imported, and branches on it
where the bug lives, tagged so it reads as a deliberate defect::

    STALE_READ = register_defect("inventory-stale-read", "Reads stock outside the lock.")
    ...
    if ctx.defects.on(STALE_READ):  # DEFECT: inventory-stale-read
        ...

All defects are off by default; naming an unknown one is a start-up error.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping

KNOWN_DEFECTS: dict[str, str] = {}
"""Every registered defect: name → what goes wrong when it is on."""

_registry_lock = threading.Lock()


class UnknownDefect(ValueError):
    """``SHOP_DEFECTS`` names a defect no loaded service registered."""


def register_defect(name: str, description: str) -> str:
    """Register defect ``name`` (idempotent for the same description); returns ``name``."""
    if not name or "," in name or name != name.strip():
        raise ValueError(f"invalid defect name {name!r}")
    with _registry_lock:
        known = KNOWN_DEFECTS.get(name)
        if known is not None and known != description:
            raise ValueError(f"defect {name!r} is already registered with another description")
        KNOWN_DEFECTS[name] = description
    return name


def parse_defect_names(raw: str | Iterable[str] | None) -> frozenset[str]:
    """The names in ``"a, b"`` or an iterable of names; blanks ignored."""
    if raw is None:
        return frozenset()
    items = raw.split(",") if isinstance(raw, str) else raw
    return frozenset(item.strip() for item in items if item.strip())


class Defects(frozenset[str]):
    """The set of defect names switched on for one app (a ``frozenset``)."""

    @classmethod
    def enabled(
        cls, raw: str | Iterable[str] | None, known: Mapping[str, str] | None = None
    ) -> Defects:
        """The defects named in ``raw``, checked against ``known`` (default: the registry)."""
        names = parse_defect_names(raw)
        catalogue = KNOWN_DEFECTS if known is None else known
        unknown = sorted(names - set(catalogue))
        if unknown:
            listing = "\n".join(f"  {n}: {d}" for n, d in sorted(catalogue.items())) or "  (none)"
            raise UnknownDefect(
                f"unknown defect(s) {', '.join(unknown)} in SHOP_DEFECTS; known defects:\n"
                + listing
            )
        return cls(names)

    def on(self, name: str) -> bool:
        """True when defect ``name`` is switched on."""
        return name in self

    def __repr__(self) -> str:
        return f"Defects({sorted(self)!r})"
