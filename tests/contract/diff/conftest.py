"""Helpers of the diff tests: build documents, diff them, list the rule ids fired."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from assay.contract.diff import Change, diff_specs
from assay.spec import from_dict

TODAY = dt.date(2026, 6, 1)

Diff = Callable[[dict[str, Any], dict[str, Any]], list[Change]]


def document(paths: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "Shop", "version": "1.0.0"},
        "paths": copy.deepcopy(paths or {}),
    }
    doc.update(copy.deepcopy(extra))
    return doc


def changes_between(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    return diff_specs(from_dict(old, source="old"), from_dict(new, source="new"), today=TODAY)


def fired(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return [c.rule for c in changes_between(old, new)]


@pytest.fixture
def diff() -> Diff:
    return changes_between
