"""Errors of allocation; each one is also the HTTP problem it answers as."""

from __future__ import annotations

from shop.platform.problems import Conflict, NotFound, PreconditionFailed


class UnknownBatch(NotFound):
    """No batch has this reference (404)."""

    def __init__(self, reference: str) -> None:
        super().__init__("batch", reference)
        self.reference = reference


class UnknownSku(NotFound):
    """No batch was ever registered for this SKU (404)."""

    def __init__(self, sku: str) -> None:
        super().__init__("sku", sku)
        self.sku = sku


class BatchExists(Conflict):
    """A batch with this reference already exists (409)."""

    slug = "batch-exists"

    def __init__(self, reference: str) -> None:
        super().__init__(f"batch {reference!r} already exists.")
        self.reference = reference


class OutOfStock(Conflict):
    """No batch can take the order line (409)."""

    slug, title = "out-of-stock", "Out of stock"

    def __init__(self, sku: str, quantity: int) -> None:
        super().__init__(f"no batch of {sku!r} has {quantity} unit(s) left.", sku=sku)
        self.sku = sku
        self.quantity = quantity


class AllocationConflict(Conflict):
    """Allocation could not complete because of concurrent changes or a clashing line."""

    slug = "allocation-conflict"


class StaleBatch(PreconditionFailed):
    """The batch changed since the caller read it (412)."""

    def __init__(self, reference: str) -> None:
        super().__init__(f"batch {reference!r} was changed since it was read; read it again.")
        self.reference = reference
