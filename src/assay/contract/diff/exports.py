"""Machine formats of a `DiffReport`: JSON (a stable schema, version 1) and JUnit XML."""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree as ET

from assay.contract.diff.acceptance import Acceptance
from assay.contract.diff.changes import Change
from assay.contract.diff.outcome import DiffReport
from assay.contract.diff.rules import Level

__all__ = ["JSON_VERSION", "REPORT_SCHEMA", "as_json", "junit", "report_dict"]

JSON_VERSION = 1

_TEXT_OR_NULL: dict[str, Any] = {"type": ["string", "null"]}
_COUNT: dict[str, Any] = {"type": "integer", "minimum": 0}
REPORT_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "assay diff report, version 1",
    "type": "object",
    "required": ["version", "old", "new", "summary", "changes", "expired", "unused"],
    "additionalProperties": False,
    "properties": {
        "version": {"const": JSON_VERSION},
        "old": {"type": "string"},
        "new": {"type": "string"},
        "summary": {
            "type": "object",
            "required": ["ERR", "WARN", "INFO", "accepted", "expired_acceptances"],
            "additionalProperties": False,
            "properties": dict.fromkeys(
                ("ERR", "WARN", "INFO", "accepted", "expired_acceptances"), _COUNT
            ),
        },
        "changes": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "rule",
                    "level",
                    "message",
                    "operation",
                    "old_pointer",
                    "new_pointer",
                    "accepted",
                ],
                "additionalProperties": False,
                "properties": {
                    "rule": {"type": "string", "pattern": "^[a-z0-9-]+$"},
                    "level": {"enum": ["ERR", "WARN", "INFO"]},
                    "message": {"type": "string"},
                    "operation": _TEXT_OR_NULL,
                    "old_pointer": _TEXT_OR_NULL,
                    "new_pointer": _TEXT_OR_NULL,
                    "accepted": _TEXT_OR_NULL,
                },
            },
        },
        "expired": {"$ref": "#/$defs/entries"},
        "unused": {"$ref": "#/$defs/entries"},
    },
    "$defs": {
        "entries": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["rule", "operation", "pointer", "reason", "expires"],
                "additionalProperties": False,
                "properties": {
                    "rule": {"type": "string"},
                    "operation": _TEXT_OR_NULL,
                    "pointer": _TEXT_OR_NULL,
                    "reason": {"type": "string"},
                    "expires": _TEXT_OR_NULL,
                },
            },
        },
    },
}
"""The JSON Schema of `report_dict` (version 1): a change to it is a new version."""


def report_dict(report: DiffReport) -> dict[str, Any]:
    """The JSON document: version, old, new, summary, changes, expired, unused."""
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
        "unused": [e.as_dict() for e in report.unused],
    }


def as_json(report: DiffReport) -> str:
    return json.dumps(report_dict(report), indent=2) + "\n"


def junit(report: DiffReport, fail_on: Level = Level.ERR) -> str:
    """One test case per change: a failure at `fail_on` or worse, skipped when accepted."""
    total = len(report.changes) + len(report.expired)
    suite = ET.Element("testsuite", name="assay diff", tests=str(total))
    outcomes = [_change_case(suite, change, fail_on) for change in report.changes]
    outcomes += [_expired_case(suite, entry, fail_on) for entry in report.expired]
    suite.set("failures", str(outcomes.count("failure")))
    suite.set("skipped", str(outcomes.count("skipped")))
    suite.set("errors", "0")
    root = ET.Element("testsuites")
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _change_case(suite: ET.Element, change: Change, fail_on: Level) -> str:
    case = ET.SubElement(
        suite, "testcase", classname=f"assay.diff.{change.rule}", name=change.message
    )
    where = f"old: {change.old_pointer or '-'}\nnew: {change.new_pointer or '-'}"
    if change.accepted is not None:
        ET.SubElement(case, "skipped", message=f"accepted: {change.accepted}")
        return "skipped"
    if change.level >= fail_on:
        failure = ET.SubElement(case, "failure", message=change.message, type=str(change.level))
        failure.text = where
        return "failure"
    ET.SubElement(case, "system-out").text = f"{change.level}\n{where}"
    return "passed"


def _expired_case(suite: ET.Element, entry: Acceptance, fail_on: Level) -> str:
    case = ET.SubElement(suite, "testcase", classname="assay.diff.accept", name=entry.label())
    message = f"accept entry expired {entry.expires}: {entry.reason}"
    if fail_on <= Level.WARN:
        ET.SubElement(case, "failure", message=message, type="WARN")
        return "failure"
    ET.SubElement(case, "system-out").text = message
    return "passed"
