"""The runner: findings are recorded once, reports are written, runs stop cleanly."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx2
import pytest
from fastapi import FastAPI

from assay.client import APITestClient
from assay.engine import Engine, RunSettings, run_engine
from assay.errors import AssayError
from assay.report.run_files import NdjsonSink, report_document, write_junit, write_report
from assay.spec import from_dict

from .conftest import CHECK

SEMANTICS = RunSettings(phases=("semantics",), checks=(CHECK,), seed=7)


def test_a_crash_is_found_once_per_signature(broken_app: FastAPI) -> None:
    result = run_engine(broken_app, settings=SEMANTICS)
    assert [(f.check, f.operation, f.title) for f in result.findings] == [
        (CHECK, "GET /items/{item_id}", "server error 500")
    ]
    stored = result.stored[0]
    assert stored.id == "F001"
    assert stored.case is not None
    assert stored.case["method"] == "PUT"
    assert result.seed == 7
    assert result.coverage["GET /items/{item_id}"]["statuses"]["500"] == 1


def test_a_correct_app_gives_no_finding(fixed_app: FastAPI) -> None:
    result = run_engine(fixed_app, settings=SEMANTICS)
    assert result.findings == []
    assert result.cases > 0


def test_reports_are_written(broken_app: FastAPI, tmp_path: Path) -> None:
    sink = NdjsonSink(tmp_path / "events.ndjson")
    result = run_engine(broken_app, settings=SEMANTICS, sinks=[sink])
    events = [json.loads(line) for line in (tmp_path / "events.ndjson").read_text().splitlines()]
    kinds = [e["event"] for e in events]
    assert kinds[0] == "run_started"
    assert kinds[-1] == "run_finished"
    assert "finding" in kinds
    report = json.loads(write_report(result, tmp_path).read_text())
    assert report["schema"] == "assay.report/1"
    assert report["seed"] == 7
    assert report["summary"]["findings"] == 1
    assert report["findings"][0]["replay"] == "assay replay report.json#F001"
    assert report["findings"][0]["curl"].startswith("curl -X PUT")
    junit = write_junit(result, tmp_path).read_text()
    assert 'failures="1"' in junit
    assert "server error 500" in junit


def test_unknown_phase_and_check_are_clear() -> None:
    with pytest.raises(AssayError, match="unknown phase"):
        RunSettings(phases=("fuzzing",))
    with pytest.raises(AssayError, match="there is no check called 'nope'"):
        run_engine(FastAPI(), settings=RunSettings(checks=("nope",)))


def test_unknown_operation_is_clear(fixed_app: FastAPI) -> None:
    with pytest.raises(AssayError, match="no operation called 'getitem'"):
        run_engine(fixed_app, settings=RunSettings(operations=("getitem",)))


def test_operations_filter(broken_app: FastAPI) -> None:
    settings = RunSettings(phases=("semantics",), checks=(CHECK,), operations=("health",))
    result = run_engine(broken_app, settings=settings)
    assert result.operations == ["GET /health"]
    assert result.findings == []


def test_max_time_stops_cleanly_and_keeps_findings(broken_app: FastAPI) -> None:
    settings = RunSettings(phases=("semantics", "semantics"), checks=(CHECK,), max_time=0.1)
    with APITestClient(broken_app, raise_app_exceptions=False, validate=False) as client:
        engine = Engine(client, settings, target="app")
        engine._deadline = 0.0  # already expired: nothing runs, the result is still whole
        result = engine.run()
    assert result.stopped == "max_time"
    assert result.cases == 0


class _Dying(httpx2.BaseTransport):
    """Answers the spec request, then refuses every connection."""

    def __init__(self, app: FastAPI) -> None:
        self.spec = app.openapi()

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        if request.url.path == "/openapi.json":
            return httpx2.Response(200, json=self.spec)
        raise httpx2.ConnectError("connection refused", request=request)


def test_a_dead_target_aborts_with_a_clear_reason(broken_app: FastAPI, tmp_path: Path) -> None:
    client = APITestClient(
        base_url="http://127.0.0.1:9",
        transport=_Dying(broken_app),
        spec=from_dict(broken_app.openapi()),
    )
    settings = RunSettings(phases=("semantics",), checks=(CHECK,), seed=1)
    sink = NdjsonSink(tmp_path / "events.ndjson")
    with client:
        result = Engine(client, settings, target="http://127.0.0.1:9", sinks=[sink]).run()
    assert result.stopped is not None
    assert result.stopped.startswith("aborted: the target stopped answering")
    assert {f.check for f in result.findings} == {"no_response"}
    lines = (tmp_path / "events.ndjson").read_text().splitlines()
    assert json.loads(lines[-1])["summary"]["stopped"].startswith("aborted")


def test_keyboard_interrupt_keeps_what_was_found(broken_app: FastAPI) -> None:
    calls: list[Any] = []

    def interrupt(engine: Engine, case: Any) -> None:
        calls.append(case)
        if len(calls) == 2:
            raise KeyboardInterrupt

    with APITestClient(broken_app, raise_app_exceptions=False, validate=False) as client:
        engine = Engine(client, SEMANTICS, target="app")
        engine.listeners.append(interrupt)
        result = engine.run()
    assert result.stopped == "interrupted"
    assert result.cases == 2
    assert report_document(result)["stopped"] == "interrupted"
