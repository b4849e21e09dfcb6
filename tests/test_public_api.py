"""The curated public API: sorted, deliberate, documented (DESIGN principle 1)."""

from __future__ import annotations

import importlib
import inspect

import pytest

import assay

PUBLIC_MODULES = ["assay", "assay.client", "assay.spec", "assay.errors"]


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_all_is_sorted_and_exists(name: str) -> None:
    module = importlib.import_module(name)
    exported = list(module.__all__)
    assert exported == sorted(exported), f"{name}.__all__ is not sorted"
    for member in exported:
        assert hasattr(module, member), f"{name}.__all__ names {member!r}, which is missing"


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_every_exported_class_and_function_is_documented(name: str) -> None:
    module = importlib.import_module(name)
    for member in module.__all__:
        value = getattr(module, member)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), f"{name}.{member} has no docstring"


def test_top_level_exports_are_deliberate() -> None:
    public = {n for n in dir(assay) if not n.startswith("_")}
    # Sub-packages and the lazy-import machinery are not exports.
    internal = {n for n in public if inspect.ismodule(getattr(assay, n))} | {"annotations"}
    assert public - internal == set(assay.__all__) - {"__version__"}


def test_importing_assay_imports_nothing_heavy() -> None:
    import subprocess
    import sys

    heavy = "{'httpx2', 'fastapi', 'jsonschema_rs', 'yaml', 'typer', 'rich'}"
    code = (
        "import sys, assay, assay.pytest_plugin; "
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {heavy}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
