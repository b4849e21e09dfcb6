"""Stock per warehouse and how a reservation is spread across warehouses."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

WAREHOUSE_PATTERN = r"^[a-z0-9][a-z0-9-]{0,31}$"
MAX_QUANTITY = 10**9
"""The largest count one stock level holds (fits every database's integer column)."""
_WAREHOUSE = re.compile(WAREHOUSE_PATTERN)


class InvalidStock(ValueError):
    """A stock value the inventory does not accept (a negative count, a bad warehouse)."""


def check_warehouse(code: str) -> str:
    """``code`` when it is a valid warehouse code (lower-case letters, digits, dashes)."""
    if not _WAREHOUSE.match(code):
        raise InvalidStock("a warehouse code is 1-32 lower-case letters, digits or dashes")
    return code


def check_quantity(quantity: int) -> int:
    """``quantity`` when it can be a stock count (a whole number, 0..MAX_QUANTITY)."""
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise InvalidStock("a quantity is a whole number of units")
    if not 0 <= quantity <= MAX_QUANTITY:
        raise InvalidStock(f"a quantity is between 0 and {MAX_QUANTITY}")
    return quantity


@dataclass(frozen=True, slots=True)
class StockLevel:
    """Units of one SKU in one warehouse: on hand, and held by live reservations."""

    sku: str
    warehouse: str
    on_hand: int
    reserved: int = 0
    version: int = 1

    @property
    def available(self) -> int:
        """Units that a new reservation may take."""
        return max(self.on_hand - self.reserved, 0)


@dataclass(frozen=True, slots=True)
class Allotment:
    """Part of a reservation line taken from one warehouse."""

    sku: str
    warehouse: str
    quantity: int


def total_available(levels: Iterable[StockLevel]) -> int:
    """Units available across ``levels``."""
    return sum(level.available for level in levels)


def plan_allotments(levels: Sequence[StockLevel], quantity: int) -> list[Allotment]:
    """Where ``quantity`` units come from: one warehouse when one can serve it all (the
    first by code), else the fullest warehouses first. Assumes enough is available."""
    ranked = sorted(levels, key=lambda level: level.warehouse)
    whole = next((level for level in ranked if level.available >= quantity), None)
    if whole is not None:
        return [Allotment(whole.sku, whole.warehouse, quantity)]
    allotments: list[Allotment] = []
    remaining = quantity
    for level in sorted(ranked, key=lambda level: -level.available):
        take = min(level.available, remaining)
        if take > 0:
            allotments.append(Allotment(level.sku, level.warehouse, take))
            remaining -= take
    return allotments
