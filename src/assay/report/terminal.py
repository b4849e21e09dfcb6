"""The terminal side of ``assay run``: a live progress line per phase, then a summary."""

from __future__ import annotations

from collections import defaultdict
from types import TracebackType
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from assay.engine.runner import Engine, RunResult
from assay.errors import Severity
from assay.generation.cases import Case

__all__ = ["RunProgress", "render_summary"]


class RunProgress:
    """An event sink and case listener that shows, per phase, cases and findings so far."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self._task: TaskID | None = None
        self._phase = ""
        self._findings = 0
        self._cases_at_start = 0

    def __enter__(self) -> RunProgress:
        self.progress.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.progress.stop()

    def emit(self, event: dict[str, Any]) -> None:
        kind = event["event"]
        if kind == "run_started":
            self.console.print(
                f"assay run: {escape(str(event['target']))} · seed {event['seed']} · "
                f"{len(event['operations'])} operations · {len(event['checks'])} checks"
            )
        elif kind == "phase_started":
            self._phase = event["phase"]
            self._task = self.progress.add_task(f"{self._phase}: starting", total=None)
        elif kind == "finding":
            self._findings += 1
        elif kind == "phase_finished" and self._task is not None:
            skipped = event.get("skipped")
            note = f" (skipped: {escape(str(skipped))})" if skipped else ""
            text = f"{self._phase}: {event['cases']} cases, {event['findings']} new findings{note}"
            self.progress.update(self._task, description=text, total=1, completed=1)

    def on_case(self, engine: Engine, case: Case) -> None:
        if self._task is not None and engine.cases % 25 == 0:
            self.progress.update(
                self._task,
                description=f"{self._phase}: {engine.cases} cases so far, "
                f"{len(engine.store)} findings · {escape(case.label)}",
            )

    def close(self) -> None:
        return None


def render_summary(console: Console, result: RunResult) -> None:
    """Findings grouped by check and operation, then one line of totals."""
    if result.stored:
        table = Table(title="findings", title_justify="left")
        for column in ("id", "severity", "check", "operation", "title"):
            table.add_column(column, overflow="fold")
        ordered = sorted(
            result.stored, key=lambda s: (-int(s.finding.severity), s.finding.check, s.id)
        )
        for stored in ordered:
            finding = stored.finding
            table.add_row(
                stored.id,
                _severity(finding.severity),
                finding.check,
                escape(finding.operation or "-"),
                escape(finding.title),
            )
        console.print(table)
    grouped: dict[str, int] = defaultdict(int)
    for stored in result.stored:
        grouped[stored.finding.check] += 1
    checks = ", ".join(f"{name} {count}" for name, count in sorted(grouped.items()))
    stopped = f" · stopped early: {result.stopped}" if result.stopped else ""
    console.print(
        f"{len(result.stored)} findings ({checks or 'none'}) · {result.cases} cases over "
        f"{len(result.operations)} operations in {result.duration_s:.1f} s · seed "
        f"{result.seed}{stopped}",
        soft_wrap=True,
    )
    _access_matrix(console, result.access_matrix)
    for error in result.internal_errors[:5]:
        console.print(
            f"[yellow]internal error (a bug in assay, please report):[/] {escape(str(error))}"
        )


_REFUSALS = frozenset({"401", "403", "404", "-"})


def _access_matrix(console: Console, matrix: dict[str, dict[str, str]]) -> None:
    """The auth phase's access matrix: its size, and the rows where a refusal was not one."""
    if not matrix:
        return
    identities = sorted({name for row in matrix.values() for name in row})
    odd = {
        label: row
        for label, row in matrix.items()
        if any(v.startswith("deny") and v.rsplit(" ", 1)[-1] not in _REFUSALS for v in row.values())
    }
    console.print(
        f"access matrix: {len(matrix)} operations by {len(identities)} identities "
        f"(report.json: access_matrix); {len(odd)} with an identity not refused",
        soft_wrap=True,
    )
    if not odd:
        return
    table = Table(title="access matrix (expected / answered)", title_justify="left")
    table.add_column("operation", overflow="fold")
    for name in identities:
        table.add_column(name)
    for label, row in sorted(odd.items()):
        table.add_row(escape(label), *(row.get(name, "") for name in identities))
    console.print(table)


def _severity(severity: Severity) -> str:
    colour = {Severity.CRITICAL: "bold red", Severity.HIGH: "red", Severity.MEDIUM: "yellow"}
    style = colour.get(severity, "dim")
    return f"[{style}]{severity}[/]"
