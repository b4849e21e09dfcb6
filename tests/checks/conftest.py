"""Fixtures for the check tests: `bench(app)` opens a `Bench` closed after the test."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest
from tests.checks.bench import Bench

MakeBench = Callable[..., Bench]


@pytest.fixture
def bench() -> Iterator[MakeBench]:
    opened: list[Bench] = []

    def make(app: Any, settings: Mapping[str, Any] | None = None) -> Bench:
        made = Bench(app, settings)
        opened.append(made)
        return made

    yield make
    for made in opened:
        made.close()
