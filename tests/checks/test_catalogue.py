"""The catalogue itself: every check documented, tested, and named in its family."""

from __future__ import annotations

from pathlib import Path

import pytest

from assay.checks import all_checks, select_checks

TESTS = Path(__file__).parent
# assay's own checks (test suites register checks of their own, e.g. tests/engine)
CHECKS = [c for c in all_checks() if c.function.__module__.startswith("assay.")]
# a scenario check may be tested with its generator (tests/generation)
SOURCES = "\n".join(
    p.read_text(encoding="utf-8")
    for folder in (TESTS, TESTS.parent / "generation")
    for p in sorted(folder.glob("test_*.py"))
)


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.name)
def test_every_check_says_when_it_fires_and_why(check: object) -> None:
    description: str = check.description  # type: ignore[attr-defined]
    assert len(description) > 150
    assert "fires" in description.lower()


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.name)
def test_every_check_has_a_test(check: object) -> None:
    name: str = check.name  # type: ignore[attr-defined]
    assert f'"{name}"' in SOURCES.replace(f'"{name}" in', ""), f"no test names {name}"


def test_the_families_and_the_default_set() -> None:
    families = {c.family for c in CHECKS}
    assert {"conformance", "robustness", "semantics", "exposure", "consistency"} <= families
    assert "performance" in families
    defaults = {c.name for c in select_checks()}
    assert "not_acceptable" not in defaults
    assert {"server_error", "response_schema_violation"} <= defaults
