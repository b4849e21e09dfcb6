"""The engine: runs phases of generated cases against a target and keeps the findings.

``run_engine(target, settings=RunSettings(...))`` is what ``assay run`` calls.
"""

from assay.engine.events import Events, EventSink
from assay.engine.findings import FindingStore, StoredFinding
from assay.engine.runner import Engine, RunAborted, RunResult, run_engine
from assay.engine.settings import ALL_PHASES, DEFAULT_PHASES, RunSettings

__all__ = [
    "ALL_PHASES",
    "DEFAULT_PHASES",
    "Engine",
    "EventSink",
    "Events",
    "FindingStore",
    "RunAborted",
    "RunResult",
    "RunSettings",
    "StoredFinding",
    "run_engine",
]
