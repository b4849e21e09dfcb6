"""`render`: one entry point for every output format of `assay diff`."""

from __future__ import annotations

from assay.contract.diff.exports import as_json, junit
from assay.contract.diff.outcome import DiffReport
from assay.contract.diff.rendering import changelog, markdown, text
from assay.contract.diff.rules import Level
from assay.errors import AssayError

__all__ = ["FORMATS", "render"]

FORMATS = ("text", "markdown", "json", "junit", "changelog")


def render(report: DiffReport, fmt: str = "text", *, fail_on: Level = Level.ERR) -> str:
    """The report in `fmt` (one of `FORMATS`); JUnit marks failures at `fail_on` or worse."""
    name = fmt.strip().lower()
    if name == "text":
        return text(report)
    if name in ("markdown", "md"):
        return markdown(report)
    if name == "json":
        return as_json(report)
    if name == "junit":
        return junit(report, fail_on)
    if name == "changelog":
        return changelog(report)
    raise AssayError(f"unknown format {fmt!r}", hint=f"Use one of {', '.join(FORMATS)}.")
