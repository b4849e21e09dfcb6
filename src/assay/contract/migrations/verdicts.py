"""From snapshots and declarations to `Finding`s: rows lost, rules broken, round trips
that do not restore the data, migrations that fail.

Evidence always names the table, the primary key and the old and new values (JSON-ready),
so a failing row can be found in the database; details show the first few rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from assay.contract.migrations.snapshots import (
    MissingColumn,
    Row,
    Snapshot,
    TableRows,
    plain,
    same_value,
)
from assay.contract.migrations.tables import MigratedTable, RowRule
from assay.errors import AssayError, Finding, Severity

__all__ = ["broken_rules", "failed", "lost_rows", "round_trip_findings"]

_SHOWN = 5
ROWS_LOST = "migration_rows_lost"
RULE_BROKEN = "migration_rule_broken"
NOT_REVERSIBLE = "migration_not_reversible"
FAILED = "migration_failed"


def _finding(check: str, title: str, lines: list[str], evidence: dict[str, Any]) -> Finding:
    shown = [f"  - {line}" for line in lines[:_SHOWN]]
    if len(lines) > _SHOWN:
        shown.append(f"  … and {len(lines) - _SHOWN} more")
    return Finding(
        title,
        check=check,
        severity=Severity.HIGH,
        detail="\n".join(shown) or None,
        evidence=evidence,
        signature=f"{check}:{evidence.get('table', '')}:{evidence.get('rule', '')}",
    )


def _key_text(rows: TableRows, key: tuple[Any, ...]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in rows.key_of(key).items())


def failed(step: str, error: BaseException, *, check: str = FAILED) -> Finding:
    """The migration `step` raised instead of finishing."""
    return Finding(
        f"the migration {step} fails on the filled data: {type(error).__name__}: {error}",
        check=check,
        severity=Severity.HIGH,
        detail="A migration must handle every row the previous revision could hold.",
        evidence={"step": step, "error": f"{type(error).__name__}: {error}"},
        signature=f"{check}:{step}",
    )


def lost_rows(before: TableRows, after: TableRows | None, step: str) -> Finding | None:
    """Rows of `before` missing from `after` (or rows that appeared), when any."""
    now: Mapping[tuple[Any, ...], Row] = after.rows if after is not None else {}
    lost = [key for key in before.rows if key not in now]
    new = [key for key in now if key not in before.rows]
    if not lost and not new:
        return None
    lines = [f"lost {_key_text(before, key)}" for key in lost]
    if after is not None:
        lines += [f"appeared {_key_text(after, key)}" for key in new]
    gone = " (the table is gone)" if after is None else ""
    title = (
        f"{before.name}: the migration {step} loses {len(lost)} of {len(before)} rows{gone}"
        if lost
        else f"{before.name}: {len(new)} rows appear in the migration {step}"
    )
    evidence = {
        "table": before.name,
        "step": step,
        "rows_before": len(before),
        "rows_after": len(now),
        "lost": [before.key_of(key) for key in lost[: _SHOWN * 2]],
        "appeared": [after.key_of(key) for key in new[: _SHOWN * 2]] if after else [],
    }
    return _finding(ROWS_LOST, title, lines, evidence)


def broken_rules(
    before: TableRows, after: TableRows | None, table: MigratedTable, step: str
) -> list[Finding]:
    """One finding per declared rule some row breaks (a row that is gone breaks it)."""
    findings = []
    for declared in table.rules:
        broken = _broken_rows(before, after, declared)
        if broken:
            findings.append(_rule_finding(before, declared, broken, step))
    return findings


Broken = tuple[tuple[Any, ...], Row, Row | None, str]


def _broken_rows(before: TableRows, after: TableRows | None, declared: RowRule) -> list[Broken]:
    broken: list[Broken] = []
    for key, old in before.rows.items():
        new = after.rows.get(key) if after is not None else None
        if new is None:
            broken.append((key, old, None, "the row is gone"))
            continue
        reason = _judge(declared, old, new)
        if reason is not None:
            broken.append((key, old, new, reason))
    return broken


def _judge(declared: RowRule, old: Row, new: Row) -> str | None:
    try:
        return None if declared.check(old, new) else "the rule is false"
    except MissingColumn as exc:
        if exc.row is old:
            raise AssayError(
                f"rule {declared.name!r}: {exc}",
                hint="The rule reads a column the table did not have before the migration; "
                "check its name.",
            ) from None
        return f"column {exc.column!r} is missing after the migration"


def _rule_finding(before: TableRows, declared: RowRule, broken: list[Broken], step: str) -> Finding:
    lines = [
        f"{_key_text(before, key)}: {reason}; old {plain(dict(old))}, "
        f"new {plain(dict(new)) if new is not None else None}"
        for key, old, new, reason in broken
    ]
    evidence = {
        "table": before.name,
        "rule": declared.name,
        "step": step,
        "broken": len(broken),
        "rows": [
            {
                "key": before.key_of(key),
                "reason": reason,
                "old": plain(dict(old)),
                "new": plain(dict(new)) if new is not None else None,
            }
            for key, old, new, reason in broken[:_SHOWN]
        ],
    }
    title = (
        f"{before.name}: the migration {step} breaks the rule {declared.name!r} "
        f"for {len(broken)} of {len(before)} rows"
    )
    return _finding(RULE_BROKEN, title, lines, evidence)


def round_trip_findings(
    before: Snapshot, restored: Snapshot, tables: Mapping[str, MigratedTable], step: str
) -> list[Finding]:
    """Per table: rows the downgrade did not bring back as they were."""
    findings = []
    for name, original in before.tables.items():
        back = restored.tables.get(name)
        declared = tables.get(name) or MigratedTable(name)
        problems = list(_differences(original, back, declared))
        if problems:
            findings.append(_round_trip_finding(original, problems, step))
    return findings


Difference = tuple[tuple[Any, ...], str, Any, Any]


def _differences(
    original: TableRows, back: TableRows | None, declared: MigratedTable
) -> Iterable[Difference]:
    for key, row in original.rows.items():
        again = back.rows.get(key) if back is not None else None
        if again is None:
            yield key, "(row)", plain(dict(row)), None
            continue
        for column, value in row.items():
            restore = declared.restored.get(column)
            expected = restore(value) if restore is not None and value is not None else value
            now = again.get(column, _ABSENT)
            if now is _ABSENT or not same_value(expected, now):
                yield key, column, plain(expected), None if now is _ABSENT else plain(now)


_ABSENT = object()


def _round_trip_finding(original: TableRows, problems: list[Difference], step: str) -> Finding:
    lines = [
        f"{_key_text(original, key)}: {column} was {expected!r}, after the round trip {now!r}"
        for key, column, expected, now in problems
    ]
    rows = {key for key, *_ in problems}
    evidence = {
        "table": original.name,
        "step": step,
        "rows": len(rows),
        "differences": [
            {"key": original.key_of(key), "column": column, "before": expected, "after": now}
            for key, column, expected, now in problems[: _SHOWN * 2]
        ],
    }
    title = (
        f"{original.name}: upgrade and downgrade ({step}) do not restore "
        f"{len(rows)} of {len(original)} rows"
    )
    return _finding(NOT_REVERSIBLE, title, lines, evidence)
