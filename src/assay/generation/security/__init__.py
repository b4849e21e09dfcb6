"""The security phase: active probes (headers, CORS, sessions, rate limits, user
enumeration, injection) sent through the engine so the registered checks judge them.

Each probe module exposes ``run(ctx) -> None``; `run_security` runs them in order.
"""

from __future__ import annotations

import importlib

from assay.generation.steps import ScenarioContext

__all__ = ["PROBES", "run_security"]

PROBES: tuple[str, ...] = ()
"""Probe modules under this package, in the order they run."""


def run_security(ctx: ScenarioContext) -> str | None:
    """Run every security probe module; None, or why nothing ran."""
    ran = 0
    for name in PROBES:
        if ctx.expired:
            return None
        importlib.import_module(f"{__name__}.{name}").run(ctx)
        ran += 1
    return None if ran else "no security probe is available"
