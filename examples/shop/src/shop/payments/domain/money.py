"""Money as integer minor units and an ISO 4217 currency: never a float."""

from __future__ import annotations

from dataclasses import dataclass

CURRENCY_EXPONENTS: dict[str, int] = {
    "CHF": 2,
    "DKK": 2,
    "EUR": 2,
    "GBP": 2,
    "JPY": 0,
    "NOK": 2,
    "PLN": 2,
    "SEK": 2,
    "USD": 2,
}
"""The currencies the shop accepts and their number of minor-unit digits."""

MAX_AMOUNT_MINOR = 10**12
"""Upper bound of one amount (ten billion in a two-digit currency): guards overflow."""


class InvalidMoney(ValueError):
    """An amount or currency the shop does not accept."""


class CurrencyMismatch(ValueError):
    """Arithmetic or comparison across two currencies."""


@dataclass(frozen=True, order=False)
class Money:
    """A non-negative amount in minor units (cents) of one supported currency."""

    amount: int
    currency: str

    def __post_init__(self) -> None:
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise InvalidMoney("amounts are integers in minor units")
        if not 0 <= self.amount <= MAX_AMOUNT_MINOR:
            raise InvalidMoney(f"amount must be between 0 and {MAX_AMOUNT_MINOR}")
        if self.currency not in CURRENCY_EXPONENTS:
            raise InvalidMoney(f"unsupported currency {self.currency!r}")

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatch(f"{self.currency} and {other.currency} do not mix")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.amount <= other.amount

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount < other.amount

    def __str__(self) -> str:
        digits = CURRENCY_EXPONENTS[self.currency]
        if digits == 0:
            return f"{self.amount} {self.currency}"
        units, cents = divmod(self.amount, 10**digits)
        return f"{units}.{cents:0{digits}d} {self.currency}"
