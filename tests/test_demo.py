"""The README's main job runs end to end and says what it showed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_demo_runs_and_every_step_holds() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "examples.demo"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={"COLUMNS": "120", "PATH": "", "NO_COLOR": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "6 operations from examples.quickstart.app:app; 0 errors, 0 warnings" in out
    assert "Expected status 200, got 404" in out
    assert "curl -X GET http://testserver/tasks/" in out
    assert "Spec: #/paths/~1tasks~1{task_id}/get/responses" in out
    assert "demo finished: every step behaved as the spec says" in out
