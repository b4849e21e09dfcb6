from __future__ import annotations

import pytest

from shop.payments.domain.money import CurrencyMismatch, InvalidMoney, Money


def test_adds_and_compares_in_one_currency() -> None:
    assert Money(1299, "EUR") + Money(1, "EUR") == Money(1300, "EUR")
    assert Money(5, "EUR") <= Money(5, "EUR")
    assert Money(4, "EUR") < Money(5, "EUR")


@pytest.mark.parametrize(
    ("amount", "currency"),
    [(-1, "EUR"), (1.5, "EUR"), (True, "EUR"), (10**13, "EUR"), (1, "eur"), (1, "XYZ")],
)
def test_refuses_what_is_not_integer_minor_units_of_a_known_currency(
    amount: object, currency: str
) -> None:
    with pytest.raises(InvalidMoney):
        Money(amount, currency)  # type: ignore[arg-type]


def test_never_mixes_currencies() -> None:
    with pytest.raises(CurrencyMismatch):
        Money(1, "EUR") + Money(1, "USD")


def test_renders_with_the_currency_exponent() -> None:
    assert str(Money(1205, "EUR")) == "12.05 EUR"
    assert str(Money(1205, "JPY")) == "1205 JPY"
