"""`assay diff`: formats, --fail-on, --output, the accept file, git sources, bad input."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from assay.cli import main
from assay.contract.diff.exports import REPORT_SCHEMA

from .conftest import document

OK = {"description": "OK"}
QUERY = {"name": "limit", "in": "query", "schema": {"type": "integer"}}


def _docs() -> tuple[dict[str, Any], dict[str, Any]]:
    old = document(
        {
            "/orders": {
                "get": {
                    "operationId": "listOrders",
                    "parameters": [QUERY],
                    "responses": {"200": OK},
                }
            }
        }
    )
    new = document(
        {
            "/orders": {
                "get": {
                    "operationId": "listOrders",
                    "summary": "List",
                    "parameters": [{**QUERY, "required": True}],
                    "responses": {"200": OK},
                }
            }
        }
    )
    return old, new


@pytest.fixture
def pair(tmp_path: Path) -> tuple[str, str]:
    old, new = _docs()
    (tmp_path / "old.json").write_text(json.dumps(old), encoding="utf-8")
    (tmp_path / "new.json").write_text(json.dumps(new), encoding="utf-8")
    return str(tmp_path / "old.json"), str(tmp_path / "new.json")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["diff", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_text_groups_by_level_and_fails_on_breaking(
    capsys: pytest.CaptureFixture[str], pair: tuple[str, str]
) -> None:
    code, out, err = run(capsys, *pair)
    assert (code, err) == (1, "")
    assert "1 ERR, 0 WARN, 1 INFO" in out
    assert out.index("ERR (breaking)") < out.index("[request-parameter-became-required]")
    assert out.index("[request-parameter-became-required]") < out.index("\nINFO\n")
    assert "old #/paths/~1orders/get/parameters/0" in out


def test_fail_on_warn_and_err(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    old, _ = _docs()
    new = json.loads(json.dumps(old))
    new["paths"]["/orders"]["get"]["parameters"] = []  # removed parameter: WARN
    (tmp_path / "a.json").write_text(json.dumps(old), encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps(new), encoding="utf-8")
    a, b = str(tmp_path / "a.json"), str(tmp_path / "b.json")
    assert run(capsys, a, b)[0] == 0
    assert run(capsys, a, b, "--fail-on", "ERR")[0] == 0
    assert run(capsys, a, b, "--fail-on", "warn")[0] == 1
    assert run(capsys, a, a, "--fail-on", "WARN")[0] == 0


def test_json_has_a_stable_schema(
    capsys: pytest.CaptureFixture[str], pair: tuple[str, str]
) -> None:
    code, out, _ = run(capsys, *pair, "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert set(data) == {"version", "old", "new", "summary", "changes", "expired", "unused"}
    assert data["version"] == 1
    assert data["summary"] == {
        "ERR": 1,
        "WARN": 0,
        "INFO": 1,
        "accepted": 0,
        "expired_acceptances": 0,
    }
    assert data["changes"][0] == {
        "rule": "request-parameter-became-required",
        "level": "ERR",
        "message": "GET /orders: query 'limit' parameter became required",
        "operation": "GET /orders",
        "old_pointer": "#/paths/~1orders/get/parameters/0",
        "new_pointer": "#/paths/~1orders/get/parameters/0",
        "accepted": None,
    }


def test_json_matches_its_published_schema(
    capsys: pytest.CaptureFixture[str], pair: tuple[str, str], tmp_path: Path
) -> None:
    accept = tmp_path / "accept.yaml"
    accept.write_text(
        "- rule: operation-summary-changed\n  reason: wording\n"
        "- rule: operation-removed\n  reason: old\n  expires: 2020-01-01\n",
        encoding="utf-8",
    )
    _, out, _ = run(capsys, *pair, "--format", "json", "--accept", str(accept))
    jsonschema.validate(json.loads(out), REPORT_SCHEMA)


def test_junit_marks_failures_at_the_threshold(
    capsys: pytest.CaptureFixture[str], pair: tuple[str, str]
) -> None:
    _, out, _ = run(capsys, *pair, "--format", "junit")
    suite = ET.fromstring(out.split("\n", 1)[1]).find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures")) == ("2", "1")
    failed = [c.get("classname") for c in suite if c.find("failure") is not None]
    assert failed == ["assay.diff.request-parameter-became-required"]


def test_markdown_and_changelog(capsys: pytest.CaptureFixture[str], pair: tuple[str, str]) -> None:
    _, md, _ = run(capsys, *pair, "--format", "markdown")
    assert md.startswith("### API changes")
    assert "**1 breaking change**" in md
    assert "| `request-parameter-became-required` |" in md
    assert "<details><summary>1 INFO</summary>" in md
    _, log, _ = run(capsys, *pair, "--format", "changelog")
    assert "## GET /orders" in log
    assert "- **breaking**: query 'limit' parameter became required" in log
    assert "- **info**: summary changed" in log


def test_output_file(
    capsys: pytest.CaptureFixture[str], pair: tuple[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "diff.md"
    code, out, _ = run(capsys, *pair, "--format", "markdown", "--output", str(target))
    assert (code, out) == (1, "")
    assert target.read_text(encoding="utf-8").startswith("### API changes")


def _accept(tmp_path: Path, expires: str) -> str:
    path = tmp_path / "accept.yaml"
    path.write_text(
        "- rule: request-parameter-became-required\n"
        "  operation: get /orders\n"
        "  reason: v2 clients always send limit (API-142)\n"
        f"  expires: {expires}\n",
        encoding="utf-8",
    )
    return str(path)


def test_accepted_changes_do_not_fail(
    capsys: pytest.CaptureFixture[str], pair: tuple[str, str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, *pair, "--accept", _accept(tmp_path, "2999-12-31"))
    assert code == 0
    assert "accepted (intended, not failing)" in out
    assert "v2 clients always send limit (API-142)" in out
    _, raw, _ = run(capsys, *pair, "--accept", _accept(tmp_path, "2999-12-31"), "--format", "json")
    assert json.loads(raw)["changes"][0]["accepted"] == "v2 clients always send limit (API-142)"


def test_an_expired_acceptance_is_reported_and_no_longer_applies(
    capsys: pytest.CaptureFixture[str], pair: tuple[str, str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, *pair, "--accept", _accept(tmp_path, "2020-01-01"))
    assert code == 1
    assert "expired accept entries" in out
    assert "request-parameter-became-required at get /orders: expired 2020-01-01" in out


def test_pointer_acceptance_covers_everything_below(
    capsys: pytest.CaptureFixture[str], pair: tuple[str, str], tmp_path: Path
) -> None:
    path = tmp_path / "accept.json"
    path.write_text(
        json.dumps(
            [
                {
                    "rule": "request-parameter-became-required",
                    "pointer": "#/paths/~1orders/get",
                    "reason": "intended",
                }
            ]
        ),
        encoding="utf-8",
    )
    assert run(capsys, *pair, "--accept", str(path))[0] == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("rule: x\n", "must hold a list of entries"),
        ("- reason: why\n", "entry 1 has no rule"),
        ("- rule: x\n", "entry 1 (x) has no reason"),
        (
            "- rule: operation-removed\n  reason: y\n  expires: soon\n",
            "expires 'soon' is not a date",
        ),
        (
            "- rule: operation-remove\n  reason: y\n",
            "no diff rule 'operation-remove'. Did you mean operation-removed",
        ),
    ],
)
def test_bad_accept_files_exit_2(
    capsys: pytest.CaptureFixture[str],
    pair: tuple[str, str],
    tmp_path: Path,
    content: str,
    message: str,
) -> None:
    path = tmp_path / "accept.yaml"
    path.write_text(content, encoding="utf-8")
    code, _, err = run(capsys, *pair, "--accept", str(path))
    assert code == 2
    assert message in err


def test_import_strings_are_sources(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "tests.apps.tidy:app", "tests.apps.tidy:app")
    assert (code, out.splitlines()[1]) == (0, "no changes")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("{missing}", "{new}"), "does not exist"),
        (("{garbage}", "{new}"), "is not valid"),
        (("{invalid}", "{new}"), "openapi"),
        (("{new}", "{new}", "--fail-on", "BAD"), "unknown level 'BAD'"),
        (("{new}", "{new}", "--format", "xml"), "unknown format 'xml'"),
        (("git:main", "{new}"), "a git source is git:REVISION:PATH"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    files = {
        "missing": tmp_path / "missing.json",
        "garbage": tmp_path / "garbage.json",
        "invalid": tmp_path / "invalid.json",
        "new": tmp_path / "new.json",
    }
    files["garbage"].write_text("{not json", encoding="utf-8")
    files["invalid"].write_text(json.dumps({"info": {}}), encoding="utf-8")
    files["new"].write_text(json.dumps(_docs()[1]), encoding="utf-8")
    code, _, err = run(capsys, *(a.format(**{k: str(v) for k, v in files.items()}) for a in args))
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    old, new = _docs()
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "config", "user.email", "t@example.com")
    _git(tmp_path, "config", "user.name", "t")
    (tmp_path / "api").mkdir()
    spec = tmp_path / "api" / "openapi.json"
    spec.write_text(json.dumps(old), encoding="utf-8")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "v1")
    spec.write_text(json.dumps(new), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_git_revisions_are_sources(capsys: pytest.CaptureFixture[str], repo: Path) -> None:
    code, out, _ = run(capsys, "git:main:api/openapi.json", "api/openapi.json")
    assert code == 1
    assert "[request-parameter-became-required]" in out
    assert out.startswith("assay diff git:main:api/openapi.json -> api/openapi.json")


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("git:v9:api/openapi.json", "invalid object name 'v9'"),
        ("git:main:api/missing.json", "does not exist in 'main'"),
    ],
)
def test_missing_git_revision_or_path_exits_2(
    capsys: pytest.CaptureFixture[str], repo: Path, source: str, message: str
) -> None:
    code, _, err = run(capsys, source, "api/openapi.json")
    assert code == 2
    assert f"cannot read '{source}'" in err
    assert message in err


def test_junit_skips_accepted_changes_and_fails_expired_entries_on_warn(
    capsys: pytest.CaptureFixture[str], pair: tuple[str, str], tmp_path: Path
) -> None:
    accept = tmp_path / "accept.yaml"
    accept.write_text(
        "- rule: request-parameter-became-required\n  reason: intended\n"
        "- rule: operation-removed\n  reason: old\n  expires: 2020-01-01\n",
        encoding="utf-8",
    )
    code, out, _ = run(
        capsys, *pair, "--accept", str(accept), "--format", "junit", "--fail-on", "WARN"
    )
    suite = ET.fromstring(out.split("\n", 1)[1]).find("testsuite")
    assert suite is not None
    assert code == 1
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("3", "1", "1")
    failure = suite.find("testcase[@classname='assay.diff.accept']/failure")
    assert failure is not None
    assert failure.get("message") == "accept entry expired 2020-01-01: old"


def test_git_paths_relative_to_the_current_folder(
    capsys: pytest.CaptureFixture[str], repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo / "api")
    code, out, _ = run(capsys, "git:HEAD:./openapi.json", "openapi.json", "--format", "json")
    assert code == 1
    assert json.loads(out)["summary"]["ERR"] == 1


def test_unused_accept_entries_are_listed(
    capsys: pytest.CaptureFixture[str], pair: tuple[str, str], tmp_path: Path
) -> None:
    accept = tmp_path / "accept.yaml"
    accept.write_text(
        "- rule: request-parameter-became-required\n  reason: intended\n"
        "- rule: operation-removed\n  operation: DELETE /orders\n  reason: gone since v2\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, *pair, "--accept", str(accept))
    assert code == 0
    assert "unused accept entries (they match no change any more; remove them)" in out
    assert "operation-removed at DELETE /orders (gone since v2)" in out
    _, raw, _ = run(capsys, *pair, "--accept", str(accept), "--format", "json")
    assert [e["rule"] for e in json.loads(raw)["unused"]] == ["operation-removed"]
