"""User enumeration: how a series of samples is judged (status, body, timing)."""

from __future__ import annotations

from typing import Any

from tests.checks.conftest import MakeBench

from assay.checks.enumeration import distinguishing_channel
from assay.generation.security.enumeration import normalized_body


def _series(known: list[Any], unknown: list[Any], key: str = "ms") -> list[dict[str, Any]]:
    base = {"status": 401, "body": "same", "ms": 10.0}
    samples: list[dict[str, Any]] = []
    for k, u in zip(known, unknown, strict=True):
        samples.append({**base, "user": "known", key: k})
        samples.append({**base, "user": "unknown", key: u})
    return samples


def _name(found: tuple[str, str] | None) -> str | None:
    return found[0] if found is not None else None


def test_a_consistent_status_difference_tells_users_apart() -> None:
    assert _name(distinguishing_channel(_series([401, 401], [404, 404], key="status"))) == "status"


def test_an_inconsistent_status_is_not_enough() -> None:
    assert distinguishing_channel(_series([401, 500], [404, 404], key="status")) is None


def test_a_consistent_body_difference_tells_users_apart() -> None:
    assert (
        _name(
            distinguishing_channel(
                _series(["wrong password"] * 3, ["no such user"] * 3, key="body")
            )
        )
        == "body"
    )


def test_timing_needs_separation_size_and_ratio() -> None:
    slow, fast = [90.0, 95.0, 92.0, 99.0], [4.0, 5.0, 3.0, 6.0]
    assert _name(distinguishing_channel(_series(slow, fast))) == "timing"
    # Overlapping samples: noise.
    assert distinguishing_channel(_series([90.0, 95.0, 3.0, 99.0], fast)) is None
    # Separated but small: 20 ms is within what a busy machine does.
    assert distinguishing_channel(_series([24.0, 25.0, 23.0, 26.0], fast)) is None
    # Separated, 30 ms apart, but both slow: not 1.5 times as long.
    assert (
        distinguishing_channel(_series([130.0, 131.0, 132.0, 133.0], [98.0, 99.0, 100.0, 101.0]))
        is None
    )
    # Too few samples to tell.
    assert distinguishing_channel(_series(slow[:3], fast[:3])) is None


def test_bodies_are_compared_without_usernames_and_volatile_values() -> None:
    users = ["ana@example.com"]
    first = normalized_body('{"detail": "no", "user": "ana@example.com", "at": 17}', users)
    second = normalized_body('{"detail": "no", "user": "ANA@example.com", "at": 18}', users)
    assert first == second


def test_user_enumeration_judges_the_series_at_its_final_sample(bench: MakeBench) -> None:
    from tests.corpus.apps import sec_enumeration_by_status as module

    found = bench(module.defective()).fired("user_enumeration", *module.PROBES)
    assert [(f.signature, f.evidence["cwe"]) for f in found] == [("status", "CWE-204")]
    assert len(found[0].evidence["samples"]) == len(module.PROBES)
    assert bench(module.clean()).fired("user_enumeration", *module.PROBES) == []
    # Without the final sample nothing is judged yet.
    assert bench(module.defective()).fired("user_enumeration", *module.PROBES[:-1]) == []
