"""docs/test-data.md, followed literally: every example file in its Builders part passes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import assay.data.registry  # noqa: F401 - kept loaded across pytester runs

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[1]
GUIDE = (ROOT / "docs" / "test-data.md").read_text(encoding="utf-8")
BUILDERS = GUIDE.split("## Builders", 1)[1].split("\n## ", 1)[0]
FILES = {
    match.group(1): match.group(2)
    for match in re.finditer(r"```python\n# (test_\w+)\.py\n(.*?)```", BUILDERS, re.DOTALL)
}


def test_the_guide_has_its_example_files() -> None:
    assert set(FILES) == {
        "test_customers",
        "test_orders",
        "test_schemas",
        "test_rows",
        "test_products",
    }


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(FILES))
def test_each_example_file_passes(pytester: pytest.Pytester, name: str) -> None:
    pytester.makepyfile(**{name: FILES[name]})
    result = pytester.runpytest("-p", "no:cacheprovider", "-W", "ignore::DeprecationWarning")
    outcomes = result.parseoutcomes()
    assert outcomes.get("passed", 0) >= 1, result.stdout.str()
    assert set(outcomes) <= {"passed", "warnings"}, result.stdout.str()


def test_the_isolation_part_follows() -> None:
    assert "\n## Isolation and cleanup\n" in GUIDE
