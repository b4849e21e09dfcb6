"""The inventory's domain: products, money, stock per warehouse, reservations."""

from shop.inventory.domain.errors import (
    IdempotencyKeyReused,
    InsufficientStock,
    InvalidImport,
    ProductExists,
    ReservationConflict,
    StaleProduct,
    UnknownProduct,
    UnknownReservation,
)
from shop.inventory.domain.money import InvalidMoney, Money
from shop.inventory.domain.products import InvalidProduct, Product
from shop.inventory.domain.reservations import Reservation, ReservationStatus
from shop.inventory.domain.stock import Allotment, InvalidStock, StockLevel

__all__ = [
    "Allotment",
    "IdempotencyKeyReused",
    "InsufficientStock",
    "InvalidImport",
    "InvalidMoney",
    "InvalidProduct",
    "InvalidStock",
    "Money",
    "Product",
    "ProductExists",
    "Reservation",
    "ReservationConflict",
    "ReservationStatus",
    "StaleProduct",
    "StockLevel",
    "UnknownProduct",
    "UnknownReservation",
]
