"""Deduplication: one stored finding per (check, operation, signature), smallest case kept."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assay.errors import Finding

__all__ = ["FindingStore", "StoredFinding"]


@dataclass(slots=True)
class StoredFinding:
    """A finding with its stable id, how often it was seen, and its smallest case."""

    id: str
    finding: Finding
    case: dict[str, Any] | None
    case_size: int
    occurrences: int = 1

    def to_dict(self) -> dict[str, Any]:
        data = self.finding.to_dict()
        data["evidence"] = {k: v for k, v in data["evidence"].items() if k != "case"}
        return {"id": self.id, **data, "occurrences": self.occurrences, "case": self.case}


class FindingStore:
    """Collects findings; the same defect seen again only counts, unless its case is smaller."""

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, str | None, str], StoredFinding] = {}

    def add(self, finding: Finding, case_size: int) -> tuple[StoredFinding, bool]:
        """Store `finding`; returns the stored entry and whether it is new or now smaller."""
        key = (finding.check, finding.operation, finding.signature)
        case = finding.evidence.get("case")
        stored = self._by_key.get(key)
        if stored is None:
            stored = StoredFinding(f"F{len(self._by_key) + 1:03d}", finding, case, case_size)
            self._by_key[key] = stored
            return stored, True
        stored.occurrences += 1
        if case_size < stored.case_size:
            stored.finding, stored.case, stored.case_size = finding, case, case_size
            return stored, True
        return stored, False

    def __len__(self) -> int:
        return len(self._by_key)

    def all(self) -> list[StoredFinding]:
        return list(self._by_key.values())
