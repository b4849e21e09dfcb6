"""What handlers need besides the unit of work: a clock, id source and defect switches."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

Clock = Callable[[], datetime]


class DefectSwitch(Protocol):
    """Answers whether a seeded defect is switched on (``SHOP_DEFECTS``)."""

    def on(self, name: str) -> bool: ...


class NoDefects:
    """Every defect off: the correct service."""

    def on(self, name: str) -> bool:
        return False


def utc_now() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def new_reservation_id() -> str:
    """A fresh, unguessable reservation id."""
    return f"res_{uuid.uuid4().hex}"


@dataclass(frozen=True)
class Environment:
    """Injected into handlers; tests pass a fake clock and fixed ids."""

    clock: Clock = utc_now
    new_id: Callable[[], str] = new_reservation_id
    defects: DefectSwitch = field(default_factory=NoDefects)
