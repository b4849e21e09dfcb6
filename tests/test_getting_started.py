"""docs/getting-started.md, followed literally: its configuration and tests pass."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[1]
GUIDE = (ROOT / "docs" / "getting-started.md").read_text(encoding="utf-8")


def _block(language: str, starting: str) -> str:
    for match in re.finditer(rf"```{language}\n(.*?)```", GUIDE, re.DOTALL):
        if match.group(1).startswith(starting):
            return match.group(1)
    raise AssertionError(f"no {language} block starting with {starting!r} in the guide")


def test_the_guide_configuration_and_tests_pass(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BEN_PASSWORD", "ben-password")
    pytester.syspathinsert(ROOT)
    pytester.makepyprojecttoml(_block("toml", "# pyproject.toml").split("\n", 1)[1])
    pytester.makepyfile(test_tasks=_block("python", "import pytest"))
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(["assay: target examples.quickstart.app:app, seed *"])


def test_a_wrong_password_in_the_guide_setup_is_reported(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BEN_PASSWORD", "not-bens-password")
    pytester.syspathinsert(ROOT)
    pytester.makepyprojecttoml(_block("toml", "# pyproject.toml").split("\n", 1)[1])
    pytester.makepyfile(test_tasks=_block("python", "import pytest"))
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*identity 'ben' could not get a token from /token*"])
