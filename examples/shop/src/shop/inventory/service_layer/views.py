"""Read-side queries of the inventory: what the API and the facade show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shop.inventory.domain.errors import UnknownProduct, UnknownReservation
from shop.inventory.domain.products import Product
from shop.inventory.domain.reservations import Reservation
from shop.inventory.domain.stock import StockLevel
from shop.inventory.service_layer import defects
from shop.inventory.service_layer.environment import Environment
from shop.inventory.service_layer.unit_of_work import InventoryUnitOfWork, ProductQuery


@dataclass(frozen=True, slots=True)
class ProductView:
    """A product with its stock per warehouse."""

    product: Product
    stock: tuple[StockLevel, ...]


def product(uow: InventoryUnitOfWork, sku: str, now: datetime) -> ProductView:
    with uow:
        found = uow.products.get(sku)
        if found is None:
            raise UnknownProduct(sku)
        return ProductView(found, tuple(uow.stock.levels([sku], now)[sku]))


def product_page(
    uow: InventoryUnitOfWork, query: ProductQuery, env: Environment
) -> list[ProductView]:
    """A page of products with their stock: two statements whatever the page size."""
    now = env.clock()
    with uow:
        products = uow.products.page(query)
        if env.defects.on(defects.N_PLUS_ONE):  # DEFECT: inventory-n-plus-one
            levels = {p.sku: uow.stock.levels([p.sku], now)[p.sku] for p in products}
        else:
            levels = uow.stock.levels([p.sku for p in products], now)
        return [ProductView(p, tuple(levels[p.sku])) for p in products]


def stock_export(
    uow: InventoryUnitOfWork, warehouse: str | None, now: datetime
) -> list[StockLevel]:
    with uow:
        return list(uow.stock.export(warehouse, now))


def reservation(uow: InventoryUnitOfWork, reservation_id: str) -> Reservation:
    with uow:
        found = uow.reservations.get(reservation_id)
        if found is None:
            raise UnknownReservation(reservation_id)
        return found


def price_of(uow: InventoryUnitOfWork, sku: str) -> tuple[int, str]:
    with uow:
        found = uow.products.get(sku)
        if found is None:
            raise UnknownProduct(sku)
        return found.price.as_tuple()
