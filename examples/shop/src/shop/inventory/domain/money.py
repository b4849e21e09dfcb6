"""Money as integer minor units and an ISO 4217 currency code — never a float."""

from __future__ import annotations

import re
from dataclasses import dataclass

_CURRENCY = re.compile(r"^[A-Z]{3}$")


class InvalidMoney(ValueError):
    """An amount or a currency code that money cannot have."""


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in minor units (cents for EUR) of one currency."""

    amount: int
    currency: str

    def __post_init__(self) -> None:
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise InvalidMoney("amount must be an integer number of minor units")
        if self.amount < 0:
            raise InvalidMoney("amount must not be negative")
        if not _CURRENCY.match(self.currency):
            raise InvalidMoney("currency must be a three-letter ISO 4217 code")

    def as_tuple(self) -> tuple[int, str]:
        """``(amount, currency)``, the shape the order saga prices lines with."""
        return self.amount, self.currency
