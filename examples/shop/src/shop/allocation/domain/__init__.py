"""Allocation's domain: batches, order lines, the product aggregate, events, errors."""

from shop.allocation.domain.errors import (
    AllocationConflict,
    BatchExists,
    OutOfStock,
    StaleBatch,
    UnknownBatch,
    UnknownSku,
)
from shop.allocation.domain.model import Batch, InvalidAllocation, OrderLine, Product

__all__ = [
    "AllocationConflict",
    "Batch",
    "BatchExists",
    "InvalidAllocation",
    "OrderLine",
    "OutOfStock",
    "Product",
    "StaleBatch",
    "UnknownBatch",
    "UnknownSku",
]
