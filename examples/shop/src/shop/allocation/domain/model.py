"""The allocation aggregate: a product's batches and the order lines allocated to them.

Warehouse stock (a batch without ETA) is used before shipments; shipments by earliest
ETA; ties by batch reference. All changes go through ``Product`` so one version number
guards every batch of a SKU against concurrent allocation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from shop.allocation.domain import events
from shop.platform.events import Event


class InvalidAllocation(ValueError):
    """A batch or line value allocation does not accept."""


@dataclass(frozen=True, slots=True)
class OrderLine:
    """``quantity`` units of ``sku`` for one order."""

    order_id: str
    sku: str
    quantity: int

    def __post_init__(self) -> None:
        if self.quantity < 1:
            raise InvalidAllocation("an order line needs at least one unit")


@dataclass(eq=False)
class Batch:
    """Stock that is (``eta is None``) or will be in the warehouse.

    ``lines`` may be a part of the batch's lines (a command on one order needs only that
    order's): ``other_allocated`` counts the units of the lines left out.
    """

    reference: str
    sku: str
    purchased_quantity: int
    eta: date | None = None
    lines: dict[str, OrderLine] = field(default_factory=dict)
    version: int = 1
    other_allocated: int = 0

    def __post_init__(self) -> None:
        if self.purchased_quantity < 0:
            raise InvalidAllocation("a batch cannot hold a negative quantity")

    def preference(self) -> tuple[bool, date, str]:
        """Sort key: warehouse stock first, then earliest ETA, then reference."""
        return (self.eta is not None, self.eta or date.min, self.reference)

    @property
    def allocated_quantity(self) -> int:
        return self.other_allocated + sum(line.quantity for line in self.lines.values())

    @property
    def available_quantity(self) -> int:
        return self.purchased_quantity - self.allocated_quantity

    def can_allocate(self, line: OrderLine) -> bool:
        return line.sku == self.sku and self.available_quantity >= line.quantity

    def allocate(self, line: OrderLine) -> None:
        self.lines[line.order_id] = line
        self.version += 1

    def deallocate(self, order_id: str) -> OrderLine | None:
        line = self.lines.pop(order_id, None)
        if line is not None:
            self.version += 1
        return line

    def deallocate_latest(self) -> OrderLine:
        """Take back the most recently allocated line (the fairest one to move).

        Needs every line of the batch (``other_allocated == 0``)."""
        if self.other_allocated:
            raise InvalidAllocation("the batch was loaded without all of its lines")
        order_id = next(reversed(self.lines))
        line = self.lines.pop(order_id)
        self.version += 1
        return line


@dataclass(eq=False)
class Product:
    """The aggregate: every batch of one SKU; ``events`` collects what happened."""

    sku: str
    batches: list[Batch] = field(default_factory=list)
    version: int = 0
    events: list[Event] = field(default_factory=list)

    def batch(self, reference: str) -> Batch | None:
        return next((b for b in self.batches if b.reference == reference), None)

    def batch_of(self, order_id: str) -> Batch | None:
        """The batch holding the line of ``order_id``, if any."""
        return next((b for b in self.batches if order_id in b.lines), None)

    def add_batch(self, batch: Batch) -> None:
        if batch.sku != self.sku:
            raise InvalidAllocation("a batch belongs to the product of its SKU")
        self.batches.append(batch)
        self.version += 1

    def allocate(self, line: OrderLine) -> str | None:
        """The reference of the batch now holding ``line``; ``None`` when out of stock.

        Allocating an order's line again returns the batch already holding it."""
        held = self.batch_of(line.order_id)
        if held is not None:
            return held.reference
        for batch in sorted(self.batches, key=Batch.preference):
            if batch.can_allocate(line):
                batch.allocate(line)
                self.version += 1
                self.events.append(
                    events.Allocated(line.order_id, line.sku, line.quantity, batch.reference)
                )
                return batch.reference
        self.events.append(events.OutOfStock(line.sku, line.order_id, line.quantity))
        return None

    def deallocate(self, order_id: str) -> OrderLine | None:
        """Free the line of ``order_id``; ``None`` (and nothing changes) when it has none."""
        held = self.batch_of(order_id)
        line = held.deallocate(order_id) if held is not None else None
        if line is not None:
            self.version += 1
            self.events.append(events.Deallocated(order_id, line.sku, line.quantity))
        return line

    def change_batch_quantity(self, reference: str, quantity: int) -> Batch:
        """Set a batch's quantity; lines that no longer fit move to other batches (or
        are reported out of stock). Raises ``KeyError`` for an unknown reference."""
        batch = self.batch(reference)
        if batch is None:
            raise KeyError(reference)
        if quantity < 0:
            raise InvalidAllocation("a batch cannot hold a negative quantity")
        batch.purchased_quantity = quantity
        batch.version += 1
        self.version += 1
        while batch.available_quantity < 0:
            line = batch.deallocate_latest()
            self.events.append(events.Deallocated(line.order_id, line.sku, line.quantity))
            self.allocate(line)
        return batch
