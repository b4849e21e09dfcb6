"""`assay run` and `assay replay` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assay.cli import main

from .conftest import CHECK

APP = "tests.engine.conftest:make_app()"
FIXED = "tests.engine.conftest:fixed()"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_run_exit_codes_and_replay(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    args = ["run", "--phases", "semantics", "--checks", CHECK, "--seed", "3"]
    code, out, _ = run(capsys, *args, "--report-dir", str(reports), APP)
    assert code == 1
    assert "server error 500" in out
    assert "seed 3" in out
    report = json.loads((reports / "report.json").read_text())
    assert report["findings"][0]["id"] == "F001"
    assert (reports / "junit.xml").exists()

    code, out, _ = run(capsys, "replay", f"{reports / 'report.json'}#F001")
    assert code == 1
    assert "F001 still fails" in out


def test_run_on_a_clean_app_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "run", "--phases", "semantics", "--checks", CHECK, FIXED)
    assert code == 0
    assert "0 findings" in out


def test_run_usage_errors_exit_two(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "run", "--phases", "nope", APP)
    assert (code, "unknown phase(s): nope" in err) == (2, True)
    code, _, err = run(capsys, "run", "http://127.0.0.1:9")
    assert code == 2
    assert "connection was refused" in err
    assert "Traceback" not in err


def test_replay_errors_are_clear(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "replay", str(tmp_path / "report.json"))
    assert (code, "names no finding" in err) == (2, True)
    (tmp_path / "report.json").write_text('{"findings": []}')
    code, _, err = run(capsys, "replay", f"{tmp_path / 'report.json'}#F009")
    assert (code, "has no finding F009" in err) == (2, True)


def test_a_security_probe_finding_is_rerun_by_its_phase(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    reports = tmp_path / "reports"
    target = "tests.corpus.apps.sec_missing_nosniff:defective()"
    args = ["run", "--phases", "security", "--seed", "5", "--report-dir", str(reports)]
    code, out, _ = run(capsys, *args, target)
    assert code == 1
    assert "nosniff" in out
    code, _, err = run(capsys, "replay", f"{reports / 'report.json'}#F001")
    assert code == 2
    assert "security phase's headers probe" in err
    assert "assay run --phases security --seed 5" in err
