"""`DiffReport`: the changes between two documents, accepted ones marked, and the verdict."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from assay.contract.diff.acceptance import Acceptance, apply_acceptances, load_acceptances
from assay.contract.diff.changes import Change
from assay.contract.diff.differ import diff_specs
from assay.contract.diff.rules import Level
from assay.contract.diff.sources import load_side
from assay.spec.model import Spec

__all__ = ["DiffReport", "compare", "run_diff"]


@dataclass(frozen=True, slots=True)
class DiffReport:
    """What `assay diff` found: changes (worst level first, then in document order), and
    the accept-file entries that have expired."""

    old_source: str
    new_source: str
    changes: tuple[Change, ...]
    expired: tuple[Acceptance, ...] = ()
    unused: tuple[Acceptance, ...] = ()
    today: dt.date = field(default_factory=dt.date.today)

    @property
    def open_changes(self) -> tuple[Change, ...]:
        """Changes no accept entry covers."""
        return tuple(c for c in self.changes if c.accepted is None)

    @property
    def accepted(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.accepted is not None)

    def count(self, level: Level) -> int:
        return sum(1 for c in self.open_changes if c.level == level)

    def fails(self, threshold: Level) -> bool:
        """True when an open change is at `threshold` or worse (an expired entry is a WARN)."""
        if any(c.level >= threshold for c in self.open_changes):
            return True
        return bool(self.expired) and threshold <= Level.WARN

    def by_level(self, level: Level) -> list[Change]:
        return [c for c in self.open_changes if c.level == level]


def compare(
    old: Spec,
    new: Spec,
    *,
    accept: Iterable[Acceptance] = (),
    today: dt.date | None = None,
) -> DiffReport:
    """Diff two loaded specs and apply accept entries."""
    day = today or dt.date.today()
    applied = apply_acceptances(diff_specs(old, new, today=day), accept, day)
    ordered = sorted(applied.changes, key=lambda c: -c.level)  # stable: document order per level
    return DiffReport(
        old.source,
        new.source,
        tuple(ordered),
        expired=tuple(applied.expired),
        unused=tuple(applied.unused),
        today=day,
    )


def run_diff(
    old: str,
    new: str,
    *,
    accept_file: str | Path | None = None,
    today: dt.date | None = None,
    timeout: float = 10.0,
) -> DiffReport:
    """Load OLD and NEW (files, URLs, import strings, ``git:REV:path``) and diff them."""
    entries = load_acceptances(accept_file) if accept_file is not None else []
    return compare(
        load_side(old, timeout=timeout),
        load_side(new, timeout=timeout),
        accept=entries,
        today=today,
    )
