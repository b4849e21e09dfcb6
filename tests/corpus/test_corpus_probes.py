"""The corpus proven without the engine: direct requests show each defect, not its fix.

Each app's ``PROBES`` are sent with a plain client and every check runs on the answers:
on ``defective()`` the defect's check fires on the defect's operation; on ``clean()``
no check fires at all. Both apps publish the same spec unless the fix is in the spec.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType

import pytest
from tests.checks.bench import Bench
from tests.corpus.apps import corpus

APPS = corpus()


def _label(module: ModuleType) -> str:
    return module.__name__.rsplit(".", 1)[-1]


@pytest.fixture
def benches() -> Iterator[list[Bench]]:
    opened: list[Bench] = []
    yield opened
    for bench in opened:
        bench.close()


def _open(module: ModuleType, factory: str, opened: list[Bench]) -> Bench:
    bench = Bench(getattr(module, factory)(), getattr(module, "SETTINGS", {}))
    opened.append(bench)
    return bench


def test_the_corpus_is_large_enough() -> None:
    assert len(APPS) >= 30
    assert len({m.DEFECT[0] for m in APPS}) >= 15


@pytest.mark.parametrize("module", APPS, ids=_label)
def test_the_probes_show_the_defect(module: ModuleType, benches: list[Bench]) -> None:
    check, operation = module.DEFECT
    found = _open(module, "defective", benches).findings(*module.PROBES)
    assert (check, operation) in {(f.check, f.operation) for f in found}


@pytest.mark.parametrize("module", APPS, ids=_label)
def test_the_probes_find_nothing_on_the_fix(module: ModuleType, benches: list[Bench]) -> None:
    found = _open(module, "clean", benches).findings(*module.PROBES)
    assert found == [], [f.render() for f in found]


@pytest.mark.parametrize("module", APPS, ids=_label)
def test_defective_and_clean_publish_the_same_spec(module: ModuleType) -> None:
    if not getattr(module, "SAME_SPEC", True):
        pytest.skip("the fix of this defect is in the spec itself")
    assert module.defective().openapi() == module.clean().openapi()
