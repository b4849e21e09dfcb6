"""What the orders handlers need besides a unit of work and ports."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol


class DefectSwitch(Protocol):
    """Which seeded defects are switched on (``SHOP_DEFECTS``)."""

    def on(self, name: str) -> bool: ...


class NoDefects:
    """The default: every seeded defect is off."""

    def on(self, name: str) -> bool:
        return False


def utc_now() -> datetime:
    return datetime.now(UTC)


def new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex}"


@dataclass(frozen=True)
class OrdersEnvironment:
    clock: Callable[[], datetime] = utc_now
    ids: Callable[[str], str] = new_id
    defects: DefectSwitch = field(default_factory=NoDefects)
