"""Events a run emits as it goes; sinks write them (ndjson file, progress display)."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any, Protocol

__all__ = ["EventSink", "Events"]


class EventSink(Protocol):
    """Receives every event of a run, in order. ``close`` runs once at the end."""

    def emit(self, event: dict[str, Any]) -> None: ...

    def close(self) -> None: ...


class Events:
    """Fans events out to sinks; a failing sink never stops the run (it is dropped)."""

    def __init__(self, sinks: Iterable[EventSink] = ()) -> None:
        self.sinks = list(sinks)
        self.failures: list[str] = []

    def emit(self, kind: str, **fields: Any) -> None:
        event = {"event": kind, "time": round(time.time(), 6), **fields}
        for sink in list(self.sinks):
            try:
                sink.emit(event)
            except Exception as exc:  # a broken sink must not lose the run
                self.failures.append(f"{type(sink).__name__}: {exc}")
                self.sinks.remove(sink)

    def close(self) -> None:
        for sink in self.sinks:
            try:
                sink.close()
            except Exception as exc:
                self.failures.append(f"{type(sink).__name__}: {exc}")
