"""Command handlers of allocation: ``handler(cmd, uow)``, one transaction each.

Writes load the SKU's aggregate, change it, and save it with a compare-and-set on its
version; a lost race is retried a few times before answering 409.
"""

from __future__ import annotations

from shop.allocation.domain.errors import (
    AllocationConflict,
    BatchExists,
    OutOfStock,
    StaleBatch,
    UnknownBatch,
    UnknownSku,
)
from shop.allocation.domain.events import TOPIC
from shop.allocation.domain.model import Batch, OrderLine, Product
from shop.allocation.service_layer import commands
from shop.allocation.service_layer.unit_of_work import AllocationUnitOfWork

ATTEMPTS = 3


class _LostRace(Exception):
    """The aggregate changed between load and save."""


def _save(uow: AllocationUnitOfWork, product: Product, seen_version: int) -> None:
    for event in product.events:
        uow.emit(TOPIC, event)
    product.events.clear()
    if not uow.products.save(product, seen_version):
        raise _LostRace
    uow.commit()


def create_batch(cmd: commands.CreateBatch, uow: AllocationUnitOfWork) -> Batch:
    batch = Batch(cmd.reference, cmd.sku, cmd.quantity, cmd.eta)
    for _ in range(ATTEMPTS):
        with uow:
            if uow.views.batch_exists(cmd.reference):
                raise BatchExists(cmd.reference)
            product = uow.products.get(cmd.sku)
            if product is None:
                product = Product(cmd.sku)
                product.add_batch(batch)
                uow.products.add(product)
                uow.commit()
                return batch
            seen = product.version
            product.add_batch(batch)
            try:
                _save(uow, product, seen)
            except _LostRace:
                continue
            return batch
    raise AllocationConflict("the batches of this SKU are changing too fast; try again.")


def _allocate_once(cmd: commands.Allocate, uow: AllocationUnitOfWork) -> str | None:
    with uow:
        product = uow.products.for_order(cmd.sku, cmd.order_id)
        if product is None:
            raise UnknownSku(cmd.sku)
        seen = product.version
        reference = product.allocate(OrderLine(cmd.order_id, cmd.sku, cmd.quantity))
        _save(uow, product, seen)
    return reference


def allocate(cmd: commands.Allocate, uow: AllocationUnitOfWork) -> str:
    """The reference of the batch the line went to; ``OutOfStock`` (409) when none can
    take it (the ``OutOfStock`` event is still published). Idempotent per order and SKU."""
    for _ in range(ATTEMPTS):
        try:
            reference = _allocate_once(cmd, uow)
        except _LostRace:
            continue
        if reference is None:
            raise OutOfStock(cmd.sku, cmd.quantity)
        return reference
    raise AllocationConflict("the batches of this SKU are changing too fast; try again.")


def deallocate(cmd: commands.Deallocate, uow: AllocationUnitOfWork) -> bool:
    """Free the order's line of the SKU; False (nothing happens) when it holds none."""
    for _ in range(ATTEMPTS):
        with uow:
            product = uow.products.for_order(cmd.sku, cmd.order_id)
            if product is None or product.batch_of(cmd.order_id) is None:
                return False
            seen = product.version
            product.deallocate(cmd.order_id)
            try:
                _save(uow, product, seen)
            except _LostRace:
                continue
            return True
    raise AllocationConflict("the batches of this SKU are changing too fast; try again.")


def change_batch_quantity(cmd: commands.ChangeBatchQuantity, uow: AllocationUnitOfWork) -> Batch:
    """Set the batch's quantity and move the lines that no longer fit (``Deallocated``
    then ``Allocated`` or ``OutOfStock`` for each)."""
    with uow:
        product = uow.products.for_batch(cmd.reference)
        batch = product.batch(cmd.reference) if product is not None else None
        if product is None or batch is None:
            raise UnknownBatch(cmd.reference)
        if cmd.expected_version is not None and batch.version != cmd.expected_version:
            raise StaleBatch(cmd.reference)
        seen = product.version
        changed = product.change_batch_quantity(cmd.reference, cmd.quantity)
        try:
            _save(uow, product, seen)
        except _LostRace:
            raise StaleBatch(cmd.reference) from None
    return changed
