"""The order saga's steps and the log of what each one did (or undid)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class StepKind(StrEnum):
    RESERVE = "reserve"
    ALLOCATE = "allocate"
    CHARGE = "charge"
    CONFIRM = "confirm"


class StepState(StrEnum):
    DONE = "done"
    FAILED = "failed"
    COMPENSATED = "compensated"


COMPENSABLE = frozenset({StepKind.RESERVE, StepKind.ALLOCATE, StepKind.CHARGE})
"""Steps with an undo: release, deallocate, refund (confirm is undone by release)."""


@dataclass(frozen=True)
class StepRef:
    """One step of the plan: its kind and target (the SKU of an allocation, else "")."""

    kind: StepKind
    target: str = ""

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.target}" if self.target else self.kind.value


@dataclass
class SagaStep:
    """What happened to one step: its state, the downstream reference, when and why."""

    ref: StepRef
    state: StepState
    reference: str | None
    detail: str
    at: datetime
