"""The corpus: small FastAPI apps, each with one realistic defect and a clean twin.

Every module here exposes ``DEFECT = (check, "METHOD /path")``, ``defective()`` and
``clean()`` app factories, and ``PROBES``: requests that show the defect directly,
without the engine. Optional: ``SETTINGS`` (run settings such as a latency budget),
``SAME_SPEC = False`` when the fix is in the documentation itself.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

__all__ = ["corpus"]


def corpus() -> list[ModuleType]:
    """Every corpus module, sorted by name."""
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))
    return [importlib.import_module(f"{__name__}.{name}") for name in names]
