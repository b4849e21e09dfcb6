"""`RunSettings`: everything one run of the engine is configured with."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from assay.errors import AssayError

if TYPE_CHECKING:
    from assay.client.identities import Identity
    from assay.config import AuthConfig, ResilienceConfig, SecurityConfig

__all__ = ["ALL_PHASES", "DEFAULT_PHASES", "RunSettings"]

DEFAULT_PHASES: tuple[str, ...] = (
    "examples",
    "boundary",
    "fuzz",
    "stateful",
    "semantics",
    "auth",
    "security",
    "queries",
)
ALL_PHASES: tuple[str, ...] = (*DEFAULT_PHASES, "resilience")
"""Every phase; ``resilience`` needs ``[resilience]`` dependencies, so it is not a default."""


@dataclass(frozen=True, slots=True)
class RunSettings:
    """How a run behaves; every field has a default that suits a pull-request check.

    ``seed`` None picks a random seed (the run reports it, so it can be replayed).
    ``max_examples`` bounds property-based cases per operation and kind; ``max_cases``
    bounds deterministic boundary cases per operation. ``max_time`` (seconds) stops the
    run cleanly, keeping every finding so far. ``identities`` send the cases (the first
    one able to call an operation is used; two or more enable cross-user checks).
    """

    phases: tuple[str, ...] = DEFAULT_PHASES
    checks: tuple[str, ...] | None = None
    exclude_checks: tuple[str, ...] = ()
    max_examples: int = 25
    max_cases: int = 200
    seed: int | None = None
    concurrency: int = 1
    max_time: float | None = None
    timeout: float = 10.0
    latency_budget_ms: float | None = None
    operations: tuple[str, ...] = ()
    """Only these operations (operationId or ``METHOD /path``); empty: all."""
    identities: tuple[Identity, ...] = field(default=())
    security: SecurityConfig | None = None
    """``[security]`` of the configuration (CORS allow-list, rate-limited operations…)."""
    auth: AuthConfig | None = None
    """``[auth]`` of the configuration (role policy, a key to mint test tokens with)."""
    resilience: ResilienceConfig | None = None
    """``[resilience]`` of the configuration (the dependencies to fail, the budgets)."""

    def __post_init__(self) -> None:
        unknown = [p for p in self.phases if p not in ALL_PHASES]
        if unknown:
            raise AssayError(
                f"unknown phase(s): {', '.join(unknown)}",
                hint=f"Choose from: {', '.join(ALL_PHASES)}.",
            )
        for name, value in (("max_examples", self.max_examples), ("max_cases", self.max_cases)):
            if value < 0:
                raise AssayError(f"{name} must be 0 or more, got {value}")
        if self.concurrency < 1:
            raise AssayError(f"concurrency must be 1 or more, got {self.concurrency}")
        if self.max_time is not None and self.max_time <= 0:
            raise AssayError(f"max_time must be positive, got {self.max_time}")

    def with_seed(self) -> RunSettings:
        """These settings with a concrete seed (a random one when none was given)."""
        if self.seed is not None:
            return self
        return replace(self, seed=random.randrange(2**32))

    @staticmethod
    def parse_list(value: str | Iterable[str] | None) -> tuple[str, ...]:
        """``"a,b"`` or ``["a", "b,c"]`` as a tuple of names."""
        if value is None:
            return ()
        items = [value] if isinstance(value, str) else list(value)
        return tuple(part.strip() for item in items for part in item.split(",") if part.strip())
