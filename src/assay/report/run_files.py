"""The files a run leaves in ``--report-dir``: events.ndjson, report.json, junit.xml.

``events.ndjson`` is written line by line as the run goes (flushed after every event),
so a crash or Ctrl-C still leaves every finding found so far. ``report.json`` and
``junit.xml`` are written at the end from the `RunResult` (schema: docs/report.md).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections import Counter
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree as ET

from assay._version import __version__
from assay.engine.runner import RunResult, summary_of
from assay.errors import AssayError

__all__ = ["REPORT_SCHEMA", "NdjsonSink", "report_document", "write_junit", "write_report"]

REPORT_SCHEMA = "assay.report/1"


def prepare_dir(path: Path) -> Path:
    """Create the report folder, or explain why it cannot be used."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AssayError(
            f"cannot create the report folder {path}: {exc.strerror}",
            hint="Choose another --report-dir, or fix its permissions.",
        ) from None
    if not os.access(path, os.W_OK):
        raise AssayError(f"the report folder {path} is not writable", hint="Fix its permissions.")
    return path


class NdjsonSink:
    """Writes each event as one JSON line and flushes it at once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: IO[str] = path.open("w", encoding="utf-8")

    def emit(self, event: dict[str, Any]) -> None:
        self._file.write(json.dumps(event, ensure_ascii=False, default=str) + "\n")
        self._file.flush()

    def close(self) -> None:
        self._file.close()


def _iso(timestamp: float) -> str:
    return dt.datetime.fromtimestamp(timestamp, tz=dt.UTC).isoformat(timespec="seconds")


def report_document(result: RunResult, report_name: str = "report.json") -> dict[str, Any]:
    """The ``report.json`` document of a run."""
    findings = []
    for stored in result.stored:
        entry = stored.to_dict()
        entry["replay"] = f"assay replay {report_name}#{stored.id}"
        findings.append(entry)
    severities = Counter(str(s.finding.severity) for s in result.stored)
    settings = result.settings
    exercised = sum(1 for entry in result.coverage.values() if entry["cases"])
    return {
        "schema": REPORT_SCHEMA,
        "assay_version": __version__,
        "target": result.target,
        "spec": result.spec_title,
        "seed": result.seed,
        "started_at": _iso(result.started_at),
        "duration_s": round(result.duration_s, 3),
        "stopped": result.stopped,
        "settings": {
            "phases": list(settings.phases),
            "checks": result.checks,
            "max_examples": settings.max_examples,
            "max_cases": settings.max_cases,
            "max_time": settings.max_time,
            "identities": [identity.name for identity in settings.identities],
        },
        "summary": {**summary_of(result), "by_severity": dict(sorted(severities.items()))},
        "coverage": {
            "operations": len(result.operations),
            "exercised": exercised,
            "per_operation": {
                label: {
                    "cases": entry["cases"],
                    "phases": dict(entry["phases"]),
                    "statuses": dict(sorted(entry["statuses"].items())),
                }
                for label, entry in result.coverage.items()
            },
        },
        "findings": findings,
        "internal_errors": result.internal_errors,
        "access_matrix": result.access_matrix,
    }


def write_report(result: RunResult, folder: Path) -> Path:
    """Write ``report.json`` (atomically: a reader never sees half a file)."""
    path = folder / "report.json"
    temporary = path.with_suffix(".json.tmp")
    document = report_document(result)
    temporary.write_text(
        json.dumps(document, indent=2, ensure_ascii=False, default=str), encoding="utf-8"
    )
    temporary.replace(path)
    return path


def write_junit(result: RunResult, folder: Path) -> Path:
    """Write ``junit.xml``: one test case per operation, failed when it has findings."""
    by_operation: dict[str, list[Any]] = {label: [] for label in result.operations}
    for stored in result.stored:
        by_operation.setdefault(stored.finding.operation or "(run)", []).append(stored)
    failures = sum(1 for found in by_operation.values() if found)
    suite = ET.Element(
        "testsuite",
        name="assay",
        tests=str(len(by_operation)),
        failures=str(failures),
        errors="0",
        time=f"{result.duration_s:.3f}",
        timestamp=_iso(result.started_at),
    )
    for label, found in by_operation.items():
        case = ET.SubElement(suite, "testcase", classname="assay", name=label)
        if found:
            failure = ET.SubElement(
                case, "failure", message=f"{len(found)} finding(s)", type="assay.Finding"
            )
            failure.text = "\n\n".join(f"{s.id} {s.finding.render()}" for s in found)
    path = folder / "junit.xml"
    ET.ElementTree(suite).write(path, encoding="utf-8", xml_declaration=True)
    return path
