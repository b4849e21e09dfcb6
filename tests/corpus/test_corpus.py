"""The proof of the catalogue: the engine finds each corpus defect, and nothing on the fix.

For every app in `tests.corpus.apps`: a run of the engine on ``defective()`` reports the
defect's check on the defect's operation, and runs on ``clean()`` over ten seeds report
no finding at all (a finding on a correct service is a bug of ours).
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest
from tests.corpus.apps import corpus

from assay.checks import get_check, select_checks
from assay.engine import RunSettings, run_engine

APPS = corpus()
SEEDS = range(10)


def _settings(module: ModuleType, seed: int) -> RunSettings:
    check = get_check(module.DEFECT[0])
    checks: tuple[str, ...] | None = None
    if not check.default:
        checks = (*(c.name for c in select_checks()), check.name)
    extra: dict[str, Any] = getattr(module, "SETTINGS", {})
    return RunSettings(seed=seed, max_examples=10, checks=checks, **extra)


def _label(module: ModuleType) -> str:
    return module.__name__.rsplit(".", 1)[-1]


@pytest.mark.parametrize("module", APPS, ids=_label)
def test_the_engine_finds_the_defect(module: ModuleType) -> None:
    check, operation = module.DEFECT
    result = run_engine(module.defective(), settings=_settings(module, seed=0))
    assert not result.internal_errors
    found = {(f.check, f.operation) for f in result.findings}
    assert (check, operation) in found, sorted(found)


@pytest.mark.slow
@pytest.mark.parametrize("module", APPS, ids=_label)
def test_the_clean_app_gives_no_finding_over_ten_seeds(module: ModuleType) -> None:
    for seed in SEEDS:
        result = run_engine(module.clean(), settings=_settings(module, seed))
        assert not result.internal_errors
        assert result.findings == [], (seed, [f.render() for f in result.findings])
