"""Domain objects to API representations, for v1 and v2."""

from __future__ import annotations

from datetime import datetime

from shop.inventory.domain.reservations import Reservation
from shop.inventory.domain.stock import StockLevel
from shop.inventory.entrypoints import schemas
from shop.inventory.service_layer.views import ProductView


def warehouse_stock(level: StockLevel) -> schemas.WarehouseStock:
    return schemas.WarehouseStock(
        warehouse=level.warehouse,
        on_hand=level.on_hand,
        reserved=level.reserved,
        available=level.available,
    )


def stock_level(level: StockLevel) -> schemas.StockLevelOut:
    return schemas.StockLevelOut(
        sku=level.sku,
        warehouse=level.warehouse,
        on_hand=level.on_hand,
        reserved=level.reserved,
        available=level.available,
    )


def product_v1(view: ProductView) -> schemas.ProductV1:
    product = view.product
    return schemas.ProductV1(
        sku=product.sku,
        name=product.name,
        price=product.price.amount,
        currency=product.price.currency,
        attributes=dict(product.attributes),
        stock=[warehouse_stock(level) for level in view.stock],
    )


def product_v2(view: ProductView) -> schemas.ProductV2:
    product = view.product
    return schemas.ProductV2(
        sku=product.sku,
        name=product.name,
        price=schemas.MoneyV2(amount=product.price.amount, currency=product.price.currency),
        attributes=dict(product.attributes),
        stock=[warehouse_stock(level) for level in view.stock],
    )


def reservation(found: Reservation, now: datetime) -> schemas.ReservationOut:
    return schemas.ReservationOut(
        id=found.id,
        order_id=found.order_id,
        status=found.status_at(now),
        created_at=found.created_at,
        expires_at=found.expires_at,
        lines=[schemas.LineOut(sku=s, quantity=q) for s, q in found.quantities().items()],
    )
