"""docs/resilience.md, followed literally: its example files pass, its configuration loads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assay.config import parse_config

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[2]
GUIDE = (ROOT / "docs" / "resilience.md").read_text(encoding="utf-8")
FILES = {
    match.group(1): match.group(2)
    for match in re.finditer(r"```python\n# (\w+)\.py\n(.*?)```", GUIDE, re.DOTALL)
}
TOML = re.findall(r"```toml\n(.*?)```", GUIDE, re.DOTALL)


def test_the_guide_has_its_example_files() -> None:
    assert set(FILES) == {"payments_app", "test_checkout"}


@pytest.mark.slow
def test_the_example_test_file_passes(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(**FILES)
    # in a process of its own: an in-process run would drop the HTTP modules it first
    # imported, and later tests would meet exception classes of two generations
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly")
    result.assert_outcomes(passed=2)


@pytest.mark.parametrize("block", TOML)
def test_the_configuration_in_the_guide_is_valid(block: str) -> None:
    import tomllib

    config = parse_config(tomllib.loads(block)).resilience
    assert [d.name for d in config.dependencies] == ["payments"]
