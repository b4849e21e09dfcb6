"""The inventory's seeded defects (``SHOP_DEFECTS``), all off by default.

Each is a small, tagged branch (``# DEFECT: <name>``) where the bug lives.
"""

from __future__ import annotations

from shop.platform.defects import register_defect

NEGATIVE_STOCK = register_defect(
    "inventory-negative-stock",
    "CSV stock import skips the quantity check: negative counts are stored and reading "
    "that product's stock then fails with 500 (robustness).",
)
N_PLUS_ONE = register_defect(
    "inventory-n-plus-one",
    "GET /v1/products loads the stock of each product with its own query: the statement "
    "count grows with the page size (performance).",
)
RESERVATION_RACE = register_defect(
    "inventory-reservation-race",
    "Reserving stock checks availability in one transaction and records the reservation "
    "in another, without the version guard: concurrent reservations oversell (concurrency).",
)
FLOAT_MONEY = register_defect(
    "inventory-v2-float-money",
    "GET /v2/products/{sku} renders the price amount as a decimal float (12.99) instead of "
    "integer minor units, contradicting its schema (conformance).",
)
