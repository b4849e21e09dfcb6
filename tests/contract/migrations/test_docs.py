"""The "Schema migrations" example of docs/contracts.md, run as written (on the shop)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.slow  # each runs pytest in a fresh process on the shop

ROOT = Path(__file__).resolve().parents[3]
GUIDE = (ROOT / "docs" / "contracts.md").read_text(encoding="utf-8")


def _example() -> str:
    for match in re.finditer(r"```python\n(.*?)```", GUIDE, re.DOTALL):
        if match.group(1).startswith("# test_money_migration.py"):
            return match.group(1)
    raise AssertionError("no python block starting with '# test_money_migration.py'")


def test_the_migration_example_passes(pytester: pytest.Pytester) -> None:
    contracts = pytester.path / "contracts"
    contracts.mkdir()
    shutil.copy(ROOT / "examples" / "shop" / "contracts" / "v1.json", contracts / "v1.json")
    pytester.makepyfile(test_money_migration=_example())
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_the_example_fails_when_the_rule_is_wrong(pytester: pytest.Pytester) -> None:
    contracts = pytester.path / "contracts"
    contracts.mkdir()
    shutil.copy(ROOT / "examples" / "shop" / "contracts" / "v1.json", contracts / "v1.json")
    wrong = _example().replace('"JPY": 0', '"JPY": 2')
    pytester.makepyfile(test_money_migration=wrong)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*migration_rule_broken*price in minor units*1 of 2 rows*"])
