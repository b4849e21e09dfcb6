"""Machine formats of a `DiffReport`: JSON (a stable schema, version 1) and JUnit XML."""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree as ET

from assay.contract.diff.outcome import DiffReport
from assay.contract.diff.rules import Level

__all__ = ["JSON_VERSION", "as_json", "junit", "report_dict"]

JSON_VERSION = 1


def report_dict(report: DiffReport) -> dict[str, Any]:
    """The JSON document: ``version``, ``old``, ``new``, ``summary``, ``changes``, ``expired``."""
    return {
        "version": JSON_VERSION,
        "old": report.old_source,
        "new": report.new_source,
        "summary": {
            **{str(level): report.count(level) for level in (Level.ERR, Level.WARN, Level.INFO)},
            "accepted": len(report.accepted),
            "expired_acceptances": len(report.expired),
        },
        "changes": [c.as_dict() for c in report.changes],
        "expired": [e.as_dict() for e in report.expired],
    }


def as_json(report: DiffReport) -> str:
    return json.dumps(report_dict(report), indent=2) + "\n"


def junit(report: DiffReport, fail_on: Level = Level.ERR) -> str:
    """One test case per change: a failure at `fail_on` or worse, skipped when accepted."""
    suite = ET.Element(
        "testsuite", name="assay diff", tests=str(len(report.changes) + len(report.expired))
    )
    failures = skipped = 0
    for change in report.changes:
        case = ET.SubElement(
            suite, "testcase", classname=f"assay.diff.{change.rule}", name=change.message
        )
        where = f"old: {change.old_pointer or '-'}\nnew: {change.new_pointer or '-'}"
        if change.accepted is not None:
            ET.SubElement(case, "skipped", message=f"accepted: {change.accepted}")
            skipped += 1
        elif change.level >= fail_on:
            failure = ET.SubElement(case, "failure", message=change.message, type=str(change.level))
            failure.text = where
            failures += 1
        else:
            ET.SubElement(case, "system-out").text = f"{change.level}\n{where}"
    for entry in report.expired:
        case = ET.SubElement(suite, "testcase", classname="assay.diff.accept", name=entry.label())
        if fail_on <= Level.WARN:
            ET.SubElement(
                case, "failure", message=f"accept entry expired {entry.expires}", type="WARN"
            )
            failures += 1
        else:
            ET.SubElement(case, "system-out").text = f"accept entry expired {entry.expires}"
    suite.set("failures", str(failures))
    suite.set("skipped", str(skipped))
    suite.set("errors", "0")
    root = ET.Element("testsuites")
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
