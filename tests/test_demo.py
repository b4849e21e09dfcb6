"""The README's main job runs end to end: the clean shop passes, seeded defects are found."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_demo_finds_nothing_on_the_clean_shop_and_the_seeded_defects_on_the_other() -> None:
    env = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1"}
    env.pop("SHOP_DEFECTS", None)
    result = subprocess.run(
        [sys.executable, "-m", "examples.demo", "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
        env=env,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "70 operations from shop.bootstrap:create_app(); 0 errors, 0 warnings" in result.stdout
    assert "demo finished" in result.stdout
    clean = json.loads((ROOT / "assay-report" / "clean" / "report.json").read_text())
    defects = json.loads((ROOT / "assay-report" / "defects" / "report.json").read_text())
    assert clean["summary"]["findings"] == 0
    found = {(f["check"], f["operation"]) for f in defects["findings"]}
    assert ("response_schema_violation", "GET /v2/products/{sku}") in found
    assert ("duplicate_request_broke_invariant", "POST /v1/payments") in found
