"""An event sink for engine tests: keeps every event the run emits."""

from __future__ import annotations

from typing import Any

__all__ = ["RecordedEvents"]


class RecordedEvents:
    """Every event of a run, in order; `of(kind)` and `skipped(phase)` read them back."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []

    def emit(self, event: dict[str, Any]) -> None:
        self.events.append(event)

    def close(self) -> None:
        """Nothing to close."""

    def of(self, kind: str) -> list[dict[str, Any]]:
        return [e for e in self.events if e["event"] == kind]

    def skipped(self, phase: str) -> str | None:
        """Why `phase` was skipped (None: it ran)."""
        (finished,) = [e for e in self.of("phase_finished") if e["phase"] == phase]
        reason: str | None = finished["skipped"]
        return reason
