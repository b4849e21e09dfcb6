"""Hand-written spec pairs (tests/contract/diff/pairs/*.yaml): realistic releases with
several changes at once, and the exact (rule, operation) list each must produce."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from assay.contract.diff import diff_specs
from assay.spec import from_dict

PAIRS = sorted((Path(__file__).parent / "pairs").glob("*.yaml"))


@pytest.mark.parametrize("path", PAIRS, ids=lambda p: p.stem)
def test_pair(path: Path) -> None:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    old = from_dict(case["old"], source=f"{path.name}#old")
    new = from_dict(case["new"], source=f"{path.name}#new")
    changes = diff_specs(old, new, today=dt.date(2026, 6, 1))
    found = sorted((c.rule, c.operation or "") for c in changes)
    assert found == sorted((rule, operation or "") for rule, operation in case["expect"])


def test_there_is_a_corpus() -> None:
    assert len(PAIRS) >= 5
