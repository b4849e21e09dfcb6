"""The README's main job: assay's battery against the bundled shop, no services needed.

1. ``assay spec`` lists the shop's operations and the problems of its OpenAPI document.
2. ``assay run`` sends the full default battery (examples, boundary, fuzz, stateful,
   semantics, auth, security, queries) to the one-process shop — in memory, embedded
   defaults — and finds nothing: the shop is a correct service.
3. The same run with some of the shop's seeded defects switched on
   (``SHOP_DEFECTS=…``): assay finds them and says how to reproduce each one.

Reports land in ``assay-report/clean`` and ``assay-report/defects`` (report.json,
events.ndjson, junit.xml). Exits 0 when the clean shop gave no finding and the defective
one gave findings; 1 otherwise.

Run: ``make demo`` (or ``python -m examples.demo [--quick]`` in the virtual environment).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from rich.console import Console
from rich.rule import Rule

from assay.cli import main as assay_command

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "examples" / "shop" / "assay.toml"
TARGET = "shop.bootstrap:create_app()"
REPORTS = ROOT / "assay-report"
DEFECTS = (
    "payments-idempotency-ignored",
    "inventory-v2-float-money",
)
"""Seeded defects the demo switches on (``shop defects`` lists them all)."""

console = Console(highlight=False)


def step(title: str) -> None:
    console.print(Rule(title, align="left"))


def run(report: str, quick: bool) -> int:
    args = ["run", "--config", str(CONFIG), "--seed", "1", "--report-dir", str(REPORTS / report)]
    if quick:
        args += ["--max-examples", "5", "--max-cases", "30"]
    return assay_command(args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="assay's demo against the bundled shop")
    parser.add_argument("--quick", action="store_true", help="fewer cases (for the tests)")
    quick = parser.parse_args(argv).quick
    os.environ.pop("SHOP_DEFECTS", None)
    step(f"assay spec {TARGET}")
    if assay_command(["spec", TARGET]) == 2:
        return 1
    step("assay run: the correct shop (expect no findings)")
    clean = run("clean", quick)
    step(f"assay run: the shop with seeded defects {', '.join(DEFECTS)}")
    os.environ["SHOP_DEFECTS"] = ",".join(DEFECTS)
    try:
        defective = run("defects", quick)
    finally:
        os.environ.pop("SHOP_DEFECTS", None)
    if clean == 0 and defective == 1:
        console.print(
            "[green]demo finished: the correct shop passed, the seeded defects were found "
            f"(reports in {REPORTS})[/]"
        )
        return 0
    console.print(f"[red]unexpected: clean run exit {clean}, defective run exit {defective}[/]")
    return 1


if __name__ == "__main__":
    sys.exit(main())
