"""Invariants across steps: what a refused request left behind."""

from __future__ import annotations

from tests.checks.bench import Bench, Probe
from tests.corpus.apps import refund_over_capture as refunds
from tests.corpus.apps import refused_order_keeps_reservation as orders

from assay.checks.invariants import changed_values


def test_changed_values_name_the_paths_that_moved() -> None:
    before = {"sku": "A", "stock": [{"on_hand": 5, "reserved": 0}], "tags": ["x"]}
    after = {"sku": "A", "stock": [{"on_hand": 5, "reserved": 2}], "tags": ["x", "y"]}
    assert changed_values(before, after) == {
        "/stock/0/reserved": (0, 2),
        "/tags": (["x"], ["x", "y"]),
    }


def test_changed_values_ignore_what_moves_by_itself_and_representation() -> None:
    before = {"price": 12.5, "updated_at": "2026-01-01T00:00:00Z", "version": 1, "seenAt": "a"}
    after = {"price": "12.50", "updated_at": "2026-01-02T00:00:00Z", "version": 2, "seenAt": "b"}
    assert changed_values(before, after) == {}


def test_a_field_that_appears_or_disappears_is_a_change() -> None:
    assert changed_values({"a": 1}, {"a": 1, "hold": "h1"}) == {"/hold": (None, "h1")}


def _read_after_refusal(before: dict[str, object]) -> Probe:
    probe = orders.PROBES[-1]
    assert probe.scenario is not None
    return Probe(probe.operation, path=probe.path, scenario={**probe.scenario, "before": before})


def test_the_check_fires_when_the_reservation_stays() -> None:
    bench = Bench(orders.defective())
    try:
        found = bench.fired("refused_request_left_changes", *orders.PROBES)
    finally:
        bench.close()
    assert [f.operation for f in found] == ["GET /products/{sku}"]
    assert "/reserved" in found[0].detail


def test_the_check_is_silent_when_nothing_changed_or_on_other_steps() -> None:
    bench = Bench(orders.clean())
    try:
        assert bench.fired("refused_request_left_changes", *orders.PROBES) == []
        plain = Probe("GET /products/{sku}", path={"sku": "LAMP-1"})
        assert bench.fired("refused_request_left_changes", plain) == []
        gone = _read_after_refusal({"sku": "NONE-1"})
        missing = Probe(gone.operation, path={"sku": "NONE-1"}, scenario=gone.scenario)
        assert bench.fired("refused_request_left_changes", missing) == []
    finally:
        bench.close()


def _refund_findings(app: object) -> list[str]:
    bench = Bench(app)
    try:
        return [f.detail or "" for f in bench.fired("refund_exceeds_capture", *refunds.PROBES)]
    finally:
        bench.close()


def test_a_refund_beyond_the_capture_is_found() -> None:
    found = _refund_findings(refunds.defective())
    assert len(found) == 1
    assert "captured = 60" in found[0]


def test_a_refused_refund_gives_no_finding() -> None:
    assert _refund_findings(refunds.clean()) == []
