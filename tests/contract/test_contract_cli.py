"""`assay contract …` commands: exit codes 0 (clean), 1 (findings), 2 (bad input)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.contract.apps import make_app
from tests.contract.conftest import har_entry, write_har

from assay.cli import main

GOOD_ORDER = {"id": 1, "sku": "RED-CHAIR", "quantity": 2, "price": 9.5}


@pytest.fixture
def spec_file(tmp_path: Path) -> Path:
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(make_app().openapi()), encoding="utf-8")
    return path


def test_validate_clean_traffic_exits_0(
    tmp_path: Path, spec_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    har = write_har(tmp_path / "t.har", [har_entry("GET", "http://x/orders/1", 200, GOOD_ORDER)])
    assert main(["contract", "validate", "--spec", str(spec_file), str(har)]) == 0
    assert "1 exchanges checked" in capsys.readouterr().out


def test_validate_findings_exit_1(
    tmp_path: Path, spec_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = {**GOOD_ORDER, "quantity": "two"}
    har = write_har(tmp_path / "t.har", [har_entry("GET", "http://x/orders/1", 200, bad)])
    assert main(["contract", "validate", "--spec", str(spec_file), str(har)]) == 1
    out = capsys.readouterr().out
    assert "Data pointer:   /quantity" in out
    assert "Schema pointer: #/components/schemas/Order/properties/quantity" in out


def test_validate_bad_input_exits_2(
    tmp_path: Path, spec_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["contract", "validate", "--spec", str(spec_file), str(tmp_path / "no.har")]) == 2
    assert "cannot read the traffic file" in capsys.readouterr().err


def test_validate_traffic_without_exchanges_exits_2(
    tmp_path: Path, spec_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = tmp_path / "events.ndjson"
    events.write_text('{"event": "run_started"}\n{"event": "finding", "finding": {}}\n')
    assert main(["contract", "validate", "--spec", str(spec_file), str(events)]) == 2
    assert "no exchanges in" in capsys.readouterr().err
