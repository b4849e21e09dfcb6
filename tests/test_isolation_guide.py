"""docs/test-data.md, "Isolation and cleanup", followed literally: every example passes.

Each ``###`` part with example files is one project: its files are written as they
stand (a block starting ``# name.py``) and pytest runs them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy.orm  # noqa: F401 - kept loaded across pytester runs (compiled parts)

import assay.data.databases.rollback  # noqa: F401 - the same

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[1]
GUIDE = (ROOT / "docs" / "test-data.md").read_text(encoding="utf-8")
PART = GUIDE.split("\n## Isolation and cleanup\n", 1)[1].split("\n## ", 1)[0]


def _projects() -> dict[str, dict[str, str]]:
    projects = {}
    for section in PART.split("\n### ")[1:]:
        title = section.split("\n", 1)[0]
        files = {
            match.group(1): match.group(2)
            for match in re.finditer(r"```python\n# (\w+)\.py\n(.*?)```", section, re.DOTALL)
        }
        if files:
            projects[title] = files
    return projects


PROJECTS = _projects()
EXPECTED = {
    "Roll back what a test wrote (SQLAlchemy)": 3,
    "Async apps": 2,
    "PostgreSQL, one database per worker": 4,
    "Redis and NATS": 2,
    "Cleaning up what a test created": 1,
    "Services as real processes": 1,
}


def test_the_guide_has_its_examples() -> None:
    assert set(PROJECTS) == set(EXPECTED)


@pytest.mark.slow
@pytest.mark.parametrize("title", sorted(EXPECTED))
def test_each_example_passes(pytester: pytest.Pytester, title: str) -> None:
    files = PROJECTS[title]
    if "conftest" in files:
        pytester.makeconftest(files.pop("conftest"))
    pytester.makepyfile(**files)
    pytester.syspathinsert()
    result = pytester.runpytest("-p", "no:cacheprovider", "-W", "ignore::DeprecationWarning")
    result.assert_outcomes(passed=EXPECTED[title])
