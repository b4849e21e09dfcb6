"""The check catalogue as text: ``assay checks`` and the generated docs/checks.md."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table

from assay.checks.registry import Check

__all__ = ["catalogue_markdown", "render_catalogue"]

_HEADER = """# The check catalogue

Generated from the registry by `assay checks --markdown > docs/checks.md`; a test keeps
it in step with the code. Each check is a plain function that looks at one exchange (a
case and its answer) and raises a finding; its text below is its docstring.
Default checks run unless excluded; the others run with `--checks NAME` or `--checks all`.
"""


def _summary(check: Check) -> str:
    return check.description.split("\n\n", 1)[0].replace("\n", " ")


def catalogue_markdown(checks: Sequence[Check]) -> str:
    """Markdown: an index table, then one section per check with its full docstring."""
    lines = [
        _HEADER,
        "| check | family | severity | default | fires when |",
        "|---|---|---|---|---|",
    ]
    for check in checks:
        default = "yes" if check.default else "no"
        lines.append(
            f"| [`{check.name}`](#{check.name}) | {check.family} | {check.severity} | "
            f"{default} | {_summary(check)} |"
        )
    for check in checks:
        phases = ", ".join(sorted(check.phases)) if check.phases else "all"
        lines += [
            "",
            f"## {check.name}",
            "",
            f"Family `{check.family}` · severity `{check.severity}` · phases: {phases}"
            f" · {'default' if check.default else 'opt-in'}",
            "",
            check.description,
        ]
    return "\n".join(lines) + "\n"


def render_catalogue(console: Console, checks: Sequence[Check]) -> None:
    """The terminal table of ``assay checks``."""
    table = Table(title=f"{len(checks)} checks", title_justify="left")
    for column in ("check", "family", "severity", "default", "fires when"):
        table.add_column(column, overflow="fold")
    for check in checks:
        table.add_row(
            check.name,
            check.family,
            str(check.severity),
            "yes" if check.default else "no",
            _summary(check),
        )
    console.print(table)
