"""The terminal progress shows the engine's texts as they are, brackets included."""

from __future__ import annotations

from rich.console import Console

from assay.report.terminal import RunProgress


def test_a_skip_reason_naming_a_config_section_keeps_its_brackets() -> None:
    console = Console(record=True, width=200, color_system=None)
    started = {"event": "run_started", "target": "app[v2]:make()", "seed": 1}
    reason = "no [resilience] dependencies configured"
    with RunProgress(console) as progress:
        progress.emit({**started, "operations": [], "checks": []})
        progress.emit({"event": "phase_started", "phase": "resilience"})
        progress.emit({"event": "phase_finished", "cases": 0, "findings": 0, "skipped": reason})
    text = console.export_text()
    assert "app[v2]:make()" in text
    assert "(skipped: no [resilience] dependencies configured)" in text
