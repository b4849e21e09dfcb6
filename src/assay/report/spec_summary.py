"""What ``assay spec`` shows: the operations of a document and its problems.

`spec_summary` is the machine-readable form (``--json``), `render_spec_summary` the
terminal form; both are built from the same rows so they never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from assay.spec import Operation, Problem, Spec

__all__ = ["operation_row", "render_spec_summary", "spec_summary"]


def _security_label(op: Operation) -> str:
    if not op.security:
        return "none"
    return " | ".join(requirement.label() for requirement in op.security)


def operation_row(op: Operation) -> dict[str, Any]:
    """One operation as a flat record: method, path, operationId, security, parameters."""
    return {
        "method": op.method.upper(),
        "path": op.path,
        "operation_id": op.operation_id,
        "security": _security_label(op),
        "parameters": len(op.parameters),
        "request_body": sorted(op.request_body.content) if op.request_body else [],
        "deprecated": op.deprecated,
        "pointer": op.pointer,
    }


def spec_summary(spec: Spec, problems: Sequence[Problem]) -> dict[str, Any]:
    """The whole summary as JSON-ready data."""
    return {
        "source": spec.source,
        "openapi": spec.openapi,
        "title": spec.title,
        "version": spec.version,
        "operations": [operation_row(op) for op in spec.operations],
        "problems": [
            {"code": p.code, "level": p.level, "pointer": p.pointer, "message": p.message}
            for p in problems
        ],
    }


def _operations_table(spec: Spec) -> Table:
    table = Table(
        title=f"{spec.title} {spec.version} (OpenAPI {spec.openapi})", title_justify="left"
    )
    for column in ("method", "path", "operationId", "security"):
        table.add_column(column, overflow="fold")
    table.add_column("params", justify="right")
    for op in spec.operations:
        row = operation_row(op)
        path = Text(row["path"], style="strike" if op.deprecated else "")
        table.add_row(
            row["method"], path, row["operation_id"] or "-", row["security"], str(row["parameters"])
        )
    return table


def render_spec_summary(console: Console, spec: Spec, problems: Sequence[Problem]) -> None:
    """Print the operations table, then every problem, then one line of totals."""
    console.print(_operations_table(spec))
    errors = sum(1 for p in problems if p.level == "error")
    for problem in problems:
        style = "red" if problem.level == "error" else "yellow"
        console.print(
            Text.assemble(
                (f"{problem.level}", style),
                f" {problem.pointer}: {problem.message} ",
                (f"[{problem.code}]", "dim"),
            ),
            soft_wrap=True,
        )
    warnings = len(problems) - errors
    console.print(
        f"{_count(len(spec.operations), 'operation')} from {spec.source}; "
        f"{_count(errors, 'error')}, {_count(warnings, 'warning')}",
        soft_wrap=True,
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
