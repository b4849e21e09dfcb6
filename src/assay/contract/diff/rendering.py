"""Human formats of a `DiffReport`: text (grouped by level), markdown, changelog."""

from __future__ import annotations

from collections import defaultdict

from assay.contract.diff.changes import Change
from assay.contract.diff.outcome import DiffReport
from assay.contract.diff.rules import Level

__all__ = ["changelog", "markdown", "text"]

_TITLES = {Level.ERR: "ERR (breaking)", Level.WARN: "WARN", Level.INFO: "INFO"}
_LEVELS = (Level.ERR, Level.WARN, Level.INFO)


def _summary(report: DiffReport) -> str:
    if not report.changes:
        return "no changes"
    counts = ", ".join(f"{report.count(level)} {level}" for level in _LEVELS)
    accepted = f" ({len(report.accepted)} accepted)" if report.accepted else ""
    total = len(report.open_changes)
    return f"{total} change{'s' if total != 1 else ''}: {counts}{accepted}"


def _pointers(change: Change) -> str:
    parts = []
    if change.old_pointer:
        parts.append(f"old {change.old_pointer}")
    if change.new_pointer:
        parts.append(f"new {change.new_pointer}")
    return "  ".join(parts)


def text(report: DiffReport) -> str:
    """Plain text, one block per level, worst first."""
    lines = [f"assay diff {report.old_source} -> {report.new_source}", _summary(report)]
    for level in _LEVELS:
        changes = report.by_level(level)
        if changes:
            lines += ["", _TITLES[level]]
            for change in changes:
                lines += [f"  [{change.rule}] {change.message}", f"      {_pointers(change)}"]
    if report.accepted:
        lines += ["", "accepted (intended, not failing)"]
        for change in report.accepted:
            lines.append(f"  [{change.rule}] {change.message} -- {change.accepted}")
    lines += _expired_lines(report, "  ")
    return "\n".join(lines) + "\n"


def _expired_lines(report: DiffReport, indent: str) -> list[str]:
    if not report.expired:
        return _unused_lines(report, indent)
    lines = ["", "expired accept entries (no longer applied; renew or remove them)"]
    for entry in report.expired:
        lines.append(f"{indent}{entry.label()}: expired {entry.expires} ({entry.reason})")
    return lines + _unused_lines(report, indent)


def _unused_lines(report: DiffReport, indent: str) -> list[str]:
    if not report.unused:
        return []
    lines = ["", "unused accept entries (they match no change any more; remove them)"]
    lines += [f"{indent}{entry.label()} ({entry.reason})" for entry in report.unused]
    return lines


def _cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")


def markdown(report: DiffReport) -> str:
    """A pull-request comment: a verdict line and one table per level (INFO folded)."""
    breaking = report.count(Level.ERR)
    verdict = (
        f"**{breaking} breaking change{'s' if breaking != 1 else ''}**"
        if breaking
        else ("**No breaking changes**")
    )
    lines = ["### API changes", "", f"{verdict} — {_summary(report)}", ""]
    for level in _LEVELS:
        changes = report.by_level(level)
        if not changes:
            continue
        table = ["| rule | change |", "|---|---|"]
        table += [f"| `{c.rule}` | {_cell(c.message)} |" for c in changes]
        if level == Level.INFO:
            lines += [
                f"<details><summary>{len(changes)} INFO</summary>",
                "",
                *table,
                "",
                "</details>",
                "",
            ]
        else:
            lines += [f"#### {_TITLES[level]}", "", *table, ""]
    if report.accepted:
        lines += ["#### Accepted", "", "| rule | change | reason |", "|---|---|---|"]
        lines += [
            f"| `{c.rule}` | {_cell(c.message)} | {_cell(c.accepted or '')} |"
            for c in report.accepted
        ]
        lines.append("")
    lines += [f"> {line}" if line else "" for line in _expired_lines(report, "- ")]
    return "\n".join(lines).rstrip() + "\n"


_MARK = {Level.ERR: "breaking", Level.WARN: "warning", Level.INFO: "info"}


def changelog(report: DiffReport) -> str:
    """What changed, grouped by operation (document-wide changes first)."""
    groups: dict[str, list[Change]] = defaultdict(list)
    for change in report.changes:
        groups[change.operation or ""].append(change)
    lines = [f"# Changes from {report.old_source} to {report.new_source}", ""]
    if not report.changes:
        lines.append("No changes.")
    for operation in sorted(groups, key=lambda o: (o != "", _sort_key(o))):
        lines += [f"## {operation or 'API'}", ""]
        for change in sorted(groups[operation], key=lambda c: -c.level):
            accepted = f" (accepted: {change.accepted})" if change.accepted else ""
            lines.append(f"- **{_MARK[change.level]}**: {_strip(change)}{accepted}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _sort_key(operation: str) -> tuple[str, str]:
    method, _, path = operation.partition(" ")
    return path, method


def _strip(change: Change) -> str:
    """The message without the operation label the heading already shows."""
    if change.operation and change.message.startswith(change.operation + " "):
        return change.message[len(change.operation) + 1 :]
    if change.operation and change.message.startswith(change.operation + ": "):
        return change.message[len(change.operation) + 2 :]
    return change.message
