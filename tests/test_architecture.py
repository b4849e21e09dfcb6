"""The import rules of ARCHITECTURE.md: lower layers never import higher ones."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "assay"

# layer of each top-level module or package of assay, lowest first
LAYERS = {
    "errors": 0,
    "_version": 0,
    "spec": 1,
    "client": 2,
    "config": 3,
    "perf": 3,
    "generation": 4,
    "checks": 5,
    "data": 5,
    "resilience": 6,
    "contract": 7,
    "engine": 7,
    "report": 8,
    "cli": 9,
    "pytest_plugin": 9,
    "fixtures": 9,
    "testing": 9,
    "__main__": 9,
    "__init__": 9,
}


def _layer_of(path: Path) -> str:
    relative = path.relative_to(SRC)
    return relative.parts[0].removesuffix(".py")


def _assay_imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        found |= {n.split(".")[1] for n in names if n.startswith("assay.")}
    return found


MODULES = sorted(SRC.rglob("*.py"))


def test_every_module_has_a_layer() -> None:
    assert {_layer_of(p) for p in MODULES} <= set(LAYERS)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_no_upward_imports(path: Path) -> None:
    own = _layer_of(path)
    upward = {m for m in _assay_imports(path) if m != own and LAYERS[m] >= LAYERS[own]}
    if own in {"cli", "pytest_plugin", "fixtures", "testing", "__main__", "__init__"}:
        upward = set()
    assert not upward, f"{path.relative_to(SRC)} ({own}) imports higher layers {upward}"


def test_the_rule_can_fire(tmp_path: Path) -> None:
    offender = tmp_path / "offender.py"
    offender.write_text("from assay.client import APITestClient\n", encoding="utf-8")
    assert _assay_imports(offender) == {"client"}
