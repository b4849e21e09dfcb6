"""The `assay` command: version, `assay spec`, exit codes and one-paragraph errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from assay import __version__
from assay.cli import main

DOCUMENTS = Path(__file__).parent / "spec" / "documents"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--version") == (0, f"assay {__version__}\n", "")


def test_no_arguments_prints_usage(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys)
    assert code == 2
    assert "spec" in out + err
    assert "Usage: assay" in out + err


def test_spec_of_a_clean_app_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "spec", "tests.apps.tidy:app")
    assert code == 0
    assert "getNote" in out
    assert "deleteNote" in out
    assert "HTTPBearer" in out
    assert "2 operations from tests.apps.tidy:app; 0 errors, 0 warnings" in out


def test_spec_problems_exit_one(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.warns(UserWarning, match="Duplicate Operation ID"):
        code, out, _ = run(capsys, "spec", "tests.apps.untidy:app")
    assert code == 1
    assert "[operation-id-duplicate]" in out
    assert "1 error, 0 warnings" in out


def test_warnings_only_exit_zero_unless_strict(capsys: pytest.CaptureFixture[str]) -> None:
    document = str(DOCUMENTS / "petstore-31.json")
    code, out, _ = run(capsys, "spec", document)
    assert (code, "0 errors, 2 warnings" in out) == (0, True)
    assert run(capsys, "spec", "--strict", document)[0] == 1


def test_spec_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "spec", "--json", str(DOCUMENTS / "petstore-30.yaml"))
    assert code == 0
    summary = json.loads(out)
    assert summary["openapi"] == "3.0.3"
    rows = {row["operation_id"]: row for row in summary["operations"]}
    assert rows["createPet"]["security"] == "oauth[pets:write] + apiKeyQuery | basic"
    assert rows["listPets"]["parameters"] == 6
    assert {p["code"] for p in summary["problems"]} == {"summary-missing", "no-error-response"}


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("broken/swagger2.json", "Swagger 2.0 is not supported; convert the document"),
        ("broken/missing-ref-target.yaml", "$ref '../cross/schemas.yaml#/Ordr' does not exist"),
        ("broken/syntax-error.yaml", "syntax-error.yaml"),
        ("nowhere.yaml", "nowhere.yaml"),
    ],
)
def test_broken_documents_are_one_paragraph(
    capsys: pytest.CaptureFixture[str], target: str, message: str
) -> None:
    code, out, err = run(capsys, "spec", str(DOCUMENTS / target))
    assert code == 2
    assert out == ""
    assert err.startswith("error: ")
    assert message in err
    assert "Traceback" not in err


def test_unreachable_url(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "spec", "--timeout", "2", "http://127.0.0.1:9/openapi.json")
    assert code == 2
    assert "connection was refused" in err
    assert "Traceback" not in err


def test_import_failure_names_the_line_and_debug_shows_the_traceback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, "spec", "tests.apps.failing_startup:app")
    assert code == 2
    assert "RuntimeError: database settings missing" in err
    assert "failing_startup.py:5" in err
    assert "Traceback" not in err
    code, _, err = run(capsys, "--debug", "spec", "tests.apps.failing_startup:app")
    assert code == 2
    assert "Traceback (most recent call last)" in err


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).with_name("assay")
    result = subprocess.run(
        [str(script), "spec", "--json", str(DOCUMENTS / "petstore-31.json")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["title"] == "Petstore 3.1"


def test_the_check_catalogue_doc_is_current() -> None:
    # In a fresh process: tests register checks of their own in this one.
    script = Path(sys.executable).with_name("assay")
    result = subprocess.run(
        [str(script), "checks", "--markdown"], capture_output=True, text=True, check=True
    )
    doc = (Path(__file__).parents[1] / "docs" / "checks.md").read_text(encoding="utf-8")
    assert result.stdout == doc, (
        "docs/checks.md is stale: run `assay checks --markdown > docs/checks.md`"
    )


def test_checks_table_counts_every_check(capsys: pytest.CaptureFixture[str]) -> None:
    from assay.checks import all_checks

    code, out, _ = run(capsys, "checks")
    assert code == 0
    assert out.startswith(f"{len(all_checks())} checks")
    assert "server_error" in out
    assert (
        "engine_test_server_error"
        not in (Path(__file__).parents[1] / "docs" / "checks.md").read_text()
    )


def test_a_missing_policy_file_stops_the_run_before_its_first_case(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = tmp_path / "assay.toml"
    config.write_text('[auth]\npolicy_file = "roles.toml"\n', encoding="utf-8")
    reports = tmp_path / "reports"
    code, out, err = run(
        capsys, "run", "tests.apps.tidy:app", "--config", str(config), "--report-dir", str(reports)
    )
    assert code == 2
    assert "auth: cannot read" in err
    assert "roles.toml" in err
    assert "Traceback" not in out + err
    assert not (reports / "report.json").exists()
