"""Products of the catalogue: SKU, name, price and free-form attributes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from shop.inventory.domain.money import Money

SKU_PATTERN = r"^[A-Z0-9][A-Z0-9-]{0,62}$"
_SKU = re.compile(SKU_PATTERN)


class InvalidProduct(ValueError):
    """A product value the catalogue does not accept."""


def check_sku(sku: str) -> str:
    """``sku`` when it is a valid stock keeping unit (upper-case letters, digits, dashes)."""
    if not _SKU.match(sku):
        raise InvalidProduct("a SKU is 1-63 upper-case letters, digits or dashes")
    return sku


@dataclass(frozen=True, slots=True)
class Product:
    """A catalogue entry; ``version`` grows by one on every change (the ETag source)."""

    sku: str
    name: str
    price: Money
    attributes: dict[str, str] = field(default_factory=dict)
    version: int = 1

    def __post_init__(self) -> None:
        check_sku(self.sku)
        if not self.name.strip():
            raise InvalidProduct("a product needs a name")

    def revised(
        self,
        *,
        name: str | None = None,
        price: Money | None = None,
        attributes: dict[str, str] | None = None,
    ) -> Product:
        """A copy with the given fields changed and the version advanced."""
        return replace(
            self,
            name=self.name if name is None else name,
            price=self.price if price is None else price,
            attributes=dict(self.attributes if attributes is None else attributes),
            version=self.version + 1,
        )
