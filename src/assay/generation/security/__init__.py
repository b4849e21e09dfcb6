"""The security phase: active probes (headers, CORS, sessions, rate limits, user
enumeration, injection) sent through the engine so the registered checks judge them.

Each probe module exposes ``run(ctx) -> None``; `run_security` runs them in order.
"""

from __future__ import annotations

import importlib

from assay.generation.steps import ScenarioContext

__all__ = ["PROBES", "run_security"]

PROBES: tuple[str, ...] = (
    "headers",
    "cors",
    "sessions",
    "enumeration",
    "injection",
    # Last of the login-touching probes: its burst may leave the login endpoint
    # limited for a while (the identities logged in before the run, so they keep
    # working); probes that need to log in go before it.
    "limits",
)
"""Probe modules under this package, in the order they run."""


def run_security(ctx: ScenarioContext) -> str | None:
    """Run every security probe module; None, or why nothing ran."""
    ran = 0
    for name in PROBES:
        if ctx.expired:
            return None
        try:
            probe = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
            continue  # a probe module not installed yet
        probe.run(ctx)
        ran += 1
    return None if ran else "no security probe is available"
