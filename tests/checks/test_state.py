"""The state checks: each fires on its defect in the notes API and stays silent on the twins."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.apps.stateful import make_app

from assay.checks._readback import differing_fields, same_value, stale_fields
from assay.checks._scenario import soft_deleted
from assay.checks.registry import get_check
from assay.client.identities import Identity
from assay.engine import RunSettings, run_engine
from assay.engine.replay import replay
from assay.engine.runner import RunResult
from assay.errors import AssayError
from assay.report.run_files import write_report

STATE_CHECKS = (
    "resource_missing_after_create",
    "update_not_visible",
    "resource_available_after_delete",
    "cross_user_access",
    "duplicate_request_broke_invariant",
)
TWO_USERS = (Identity.bearer("ana", "t1"), Identity.bearer("ben", "t2"))


@pytest.fixture(autouse=True)
def quick_settle(monkeypatch: pytest.MonkeyPatch) -> None:
    """The second look waits 10 ms here (the lagging-replica twin still needs it)."""
    monkeypatch.setattr("assay.checks._scenario.SETTLE_SECONDS", 0.01)


def run(seed: int = 3, identities: tuple[Identity, ...] = TWO_USERS, **defects: bool) -> RunResult:
    settings = RunSettings(
        phases=("stateful",),
        checks=(*STATE_CHECKS, "server_error"),
        identities=identities,
        seed=seed,
    )
    return run_engine(make_app(**defects), settings=settings)


def found(result: RunResult) -> set[tuple[str, str]]:
    return {(f.check, f.operation) for f in result.findings}


@pytest.mark.parametrize(
    ("defect", "expected"),
    [
        ("lose_create", ("resource_missing_after_create", "GET /notes/{note_id}")),
        ("drop_field", ("resource_missing_after_create", "GET /notes/{note_id}")),
        ("stale_list", ("resource_missing_after_create", "GET /notes")),
        ("ignore_update", ("update_not_visible", "GET /notes/{note_id}")),
        ("keep_deleted", ("resource_available_after_delete", "GET /notes/{note_id}")),
        ("shared_reads", ("cross_user_access", "GET /notes/{note_id}")),
        ("charge_twice", ("duplicate_request_broke_invariant", "POST /notes")),
    ],
)
def test_each_defect_is_found_by_its_check(defect: str, expected: tuple[str, str]) -> None:
    result = run(**{defect: True})
    assert expected in found(result)
    assert {check for check, _ in found(result)} == {expected[0]}
    assert result.internal_errors == []


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_the_correct_service_gives_no_finding(seed: int) -> None:
    result = run(seed=seed)
    assert result.findings == []
    assert result.cases > 30
    assert result.internal_errors == []


@pytest.mark.parametrize("twin", ["slow_visibility", "soft_delete"])
def test_correct_behaviours_that_look_odd_are_not_findings(twin: str) -> None:
    assert run(**{twin: True}).findings == []


def test_a_finding_says_what_happened_and_how_the_state_came_about() -> None:
    result = run(lose_create=True)
    stored = next(s for s in result.stored if s.finding.title.endswith("answers 404"))
    finding = stored.finding
    assert "answered 201" in (finding.detail or "")
    assert finding.evidence["scenario"] == "lifecycle"
    assert any(line.startswith("curl -X POST") for line in finding.evidence["steps_before"])
    assert stored.case is not None
    assert stored.case["scenario"]["step"] == "read_after_create"


def test_cross_user_access_names_both_identities_and_the_proof() -> None:
    result = run(shared_reads=True)
    finding = next(f for f in result.findings if f.check == "cross_user_access")
    assert finding.title == "ben could read an item ana created"
    assert "owner" in (finding.detail or "")
    assert finding.evidence["identity"] == "ben"


@pytest.mark.parametrize("identities", [(), (Identity.bearer("ana", "t1"),)])
def test_cross_user_scenarios_need_two_identities(identities: tuple[Identity, ...]) -> None:
    result = run(identities=identities, shared_reads=True)
    assert not [f for f in result.findings if f.check == "cross_user_access"]


def test_an_admin_is_never_the_other_user() -> None:
    admin = Identity.bearer("ben", "t2", roles=["admin"])
    result = run(identities=(TWO_USERS[0], admin), shared_reads=True)
    assert result.findings == []


def test_only_a_peer_of_the_owner_is_the_other_user() -> None:
    ana = Identity.bearer("ana", "t1", roles=["customer"])
    support = Identity.bearer("ben", "t2", roles=["support"])
    service = Identity.api_key("ben", "Bearer t2", parameter="Authorization")
    for other in (support, service):
        assert run(identities=(ana, other), shared_reads=True).findings == []
    peer = Identity.bearer("ben", "t2", roles=["customer"])
    assert found(run(identities=(ana, peer), shared_reads=True)) == {
        ("cross_user_access", "GET /notes/{note_id}")
    }


def test_every_state_check_is_documented_and_runs_in_the_stateful_phase_only() -> None:
    for name in STATE_CHECKS:
        registered = get_check(name)
        assert registered.family == "state"
        assert registered.applies_to("stateful")
        assert not registered.applies_to("fuzz")
        assert "Fires when" in registered.description or "fires when" in registered.description


# -- the comparison rules ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "got"),
    [
        (12.5, "12.50"),
        ("2024-01-02T03:04:05Z", "2024-01-02T03:04:05+00:00"),
        (["a", "b"], ["b", "a"]),
        ({"city": "Oslo"}, {"city": "Oslo", "zip": "0150"}),
        (3, 3.0),
    ],
)
def test_reshaped_values_are_the_same(expected: Any, got: Any) -> None:
    assert same_value(expected, got)


@pytest.mark.parametrize(
    ("expected", "got"),
    [("Oslo", "Bergen"), (3, 4), (True, 1), (["a"], ["a", "b"]), ({"city": "Oslo"}, "Oslo")],
)
def test_different_values_differ(expected: Any, got: Any) -> None:
    assert not same_value(expected, got)


def test_loose_comparison_forgives_case_spaces_and_cents() -> None:
    assert same_value("Ana@Example.com ", "ana@example.com", loose=True)
    assert same_value(12.344, 12.34, loose=True)
    assert not same_value("Ana", "Ben", loose=True)


def test_a_field_the_server_reshaped_on_creation_is_not_compared() -> None:
    sent = {"name": "  Tea ", "size": 2}
    created = {"name": "TEA", "size": 2}
    assert differing_fields(sent, created, {"name": "tea", "size": 2}, ["name", "size"]) == {}
    assert differing_fields(sent, created, {"name": "TEA", "size": 3}, ["name", "size"]) == {
        "size": (2, 3)
    }


def test_without_an_echo_the_read_is_compared_loosely_with_what_was_sent() -> None:
    fields = ["name", "size"]
    assert differing_fields({"name": "Tea", "size": 2}, None, {"name": "tea"}, fields) == {}
    assert differing_fields({"name": "Tea"}, None, {"name": ""}, fields) == {"name": ("Tea", "")}


def test_stale_only_when_the_read_shows_the_old_value() -> None:
    before = {"title": "old", "n": 1}
    sent = {"title": "new", "n": 1}
    assert stale_fields(before, sent, None, {"title": "old"}, ["title", "n"]) == {
        "title": ("new", "old")
    }
    assert stale_fields(before, sent, None, {"title": "NEW"}, ["title"]) == {}
    assert stale_fields(before, sent, None, {"title": "computed"}, ["title"]) == {}
    # the update's own answer says the server changed the value: not judged
    assert stale_fields(before, sent, {"title": "other"}, {"title": "old"}, ["title"]) == {}


def test_a_scenario_finding_is_not_replayed_from_its_last_request(tmp_path: Path) -> None:
    result = run(lose_create=True)
    report = write_report(result, tmp_path)
    with pytest.raises(AssayError, match="comes from a stateful scenario"):
        replay(f"{report}#F001", target=make_app(lose_create=True))


@pytest.mark.parametrize(
    "body",
    [
        {"id": 1, "deleted": True},
        {"id": 1, "deleted_at": "2024-01-01T00:00:00Z"},
        {"id": 1, "status": "Cancelled"},
        {"id": 1, "active": False},
    ],
)
def test_a_body_that_says_it_was_deleted_is_a_soft_delete(body: dict[str, Any]) -> None:
    assert soft_deleted(body)


def test_a_plain_body_is_not_a_soft_delete() -> None:
    assert not soft_deleted({"id": 1, "status": "open", "active": True, "deleted_at": None})
