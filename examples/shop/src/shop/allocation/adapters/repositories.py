"""SQLAlchemy repositories of allocation and its unit of work.

The aggregate is loaded with three statements (product, batches, lines) and saved with a
compare-and-set on ``allocation_products.version`` followed by the row changes it implies.
A command on one order's line loads it in one statement: the batches with the units they
hold, and that order's line only (whatever the number of lines of the SKU).
Lists load a page of batches and their lines in two statements whatever the page size.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Self, cast

from sqlalchemy import Table, and_, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shop.allocation.adapters.tables import BatchRow, LineRow, ProductRow
from shop.allocation.domain.errors import AllocationConflict, BatchExists
from shop.allocation.domain.model import Batch, OrderLine, Product
from shop.allocation.service_layer.unit_of_work import BatchQuery
from shop.platform.unit_of_work import SqlUnitOfWork

BATCH_COLUMNS: dict[str, Any] = {
    "reference": BatchRow.reference,
    "sku": BatchRow.sku,
    "quantity": BatchRow.purchased_quantity,
}
_BATCH = (
    BatchRow.reference,
    BatchRow.sku,
    BatchRow.purchased_quantity,
    BatchRow.eta,
    BatchRow.version,
)

LineKey = tuple[str, str, str, int]  # batch reference, order id, sku, quantity
PRODUCTS = cast(Table, ProductRow.__table__)
BATCHES = cast(Table, BatchRow.__table__)
LINES = cast(Table, LineRow.__table__)


def _for_order_query() -> Any:
    """Product version, its batches, the units each holds and the order's line in it."""
    products, batches = PRODUCTS, BATCHES
    held = LINES.alias("held")
    own = LINES.alias("own")
    allocated = (
        select(func.coalesce(func.sum(held.c.quantity), 0))
        .where(held.c.batch_reference == batches.c.reference)
        .scalar_subquery()
    )
    own_line = and_(
        own.c.batch_reference == batches.c.reference,
        own.c.order_id == bindparam("b_order_id"),
        own.c.sku == products.c.sku,
    )
    return (
        select(
            products.c.version.label("product_version"),
            *(batches.c[name] for name in ("reference", "purchased_quantity", "eta", "version")),
            allocated.label("allocated"),
            own.c.quantity.label("own_quantity"),
        )
        .select_from(products)
        .outerjoin(batches, batches.c.sku == products.c.sku)
        .outerjoin(own, own_line)
        .where(products.c.sku == bindparam("b_sku"))
        .order_by(batches.c.reference)
    )


FOR_ORDER = _for_order_query()
# The statements of a save, built once (values travel as parameters).
SAVE_PRODUCT = (
    update(PRODUCTS)
    .where(PRODUCTS.c.sku == bindparam("b_sku"), PRODUCTS.c.version == bindparam("b_seen"))
    .values(version=bindparam("b_version"))
)
SAVE_BATCH = (
    update(BATCHES)
    .where(BATCHES.c.reference == bindparam("b_reference"))
    .values(purchased_quantity=bindparam("b_quantity"), version=bindparam("b_version"))
)
DELETE_LINE = delete(LINES).where(
    LINES.c.batch_reference == bindparam("b_reference"),
    LINES.c.order_id == bindparam("b_order_id"),
    LINES.c.sku == bindparam("b_sku"),
)
INSERT_LINES = insert(LINES)


def _partial_batch(sku: str, order_id: str, row: Any) -> Batch:
    own = row.own_quantity or 0
    lines = {order_id: OrderLine(order_id, sku, own)} if own else {}
    return Batch(
        row.reference,
        sku,
        row.purchased_quantity,
        row.eta,
        lines,
        row.version,
        other_allocated=int(row.allocated) - own,
    )


def _with_lines(session: Session, rows: Sequence[Any]) -> list[Batch]:
    batches = [Batch(r.reference, r.sku, r.purchased_quantity, r.eta, {}, r.version) for r in rows]
    if not batches:
        return []
    by_reference = {b.reference: b for b in batches}
    query = (
        select(LineRow.batch_reference, LineRow.order_id, LineRow.sku, LineRow.quantity)
        .where(LineRow.batch_reference.in_(list(by_reference)))
        .order_by(LineRow.id)
    )
    for line in session.execute(query):
        batch = by_reference[line.batch_reference]
        batch.lines[line.order_id] = OrderLine(line.order_id, line.sku, line.quantity)
    return batches


def _line_keys(product: Product) -> set[LineKey]:
    return {
        (b.reference, line.order_id, line.sku, line.quantity)
        for b in product.batches
        for line in b.lines.values()
    }


class SqlProducts:
    """Aggregates by SKU; remembers what it loaded to write only the differences."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._loaded: dict[str, tuple[dict[str, tuple[int, int]], set[LineKey]]] = {}

    def get(self, sku: str) -> Product | None:
        version = self.session.scalar(select(ProductRow.version).where(ProductRow.sku == sku))
        if version is None:
            return None
        rows = self.session.execute(
            select(*_BATCH).where(BatchRow.sku == sku).order_by(BatchRow.reference)
        ).all()
        product = Product(sku, _with_lines(self.session, rows), version)
        self._remember(product)
        return product

    def for_order(self, sku: str, order_id: str) -> Product | None:
        rows = self.session.execute(FOR_ORDER, {"b_sku": sku, "b_order_id": order_id}).all()
        if not rows:
            return None
        batches = [_partial_batch(sku, order_id, r) for r in rows if r.reference is not None]
        product = Product(sku, batches, rows[0].product_version)
        self._remember(product)
        return product

    def for_batch(self, reference: str) -> Product | None:
        sku = self.session.scalar(select(BatchRow.sku).where(BatchRow.reference == reference))
        return self.get(sku) if sku is not None else None

    def _remember(self, product: Product) -> None:
        batches = {b.reference: (b.purchased_quantity, b.version) for b in product.batches}
        self._loaded[product.sku] = (batches, _line_keys(product))

    def add(self, product: Product) -> None:
        try:
            self.session.execute(
                insert(ProductRow).values(sku=product.sku, version=product.version)
            )
            self._loaded[product.sku] = ({}, set())
            self._write_rows(product)
        except IntegrityError as exc:  # a concurrent request created the SKU or batch
            raise AllocationConflict("The batches changed concurrently; try again.") from exc

    def save(self, product: Product, seen_version: int) -> bool:
        params = {"b_sku": product.sku, "b_seen": seen_version, "b_version": product.version}
        if self.session.execute(SAVE_PRODUCT, params).rowcount != 1:  # type: ignore[attr-defined]
            return False
        self._write_rows(product)
        return True

    def _write_rows(self, product: Product) -> None:
        batches, lines = self._loaded.get(product.sku, ({}, set()))
        for batch in product.batches:
            state = (batch.purchased_quantity, batch.version)
            if batch.reference not in batches:
                _insert_batch_row(self.session, batch)
            elif batches[batch.reference] != state:
                params = {"b_reference": batch.reference, "b_quantity": state[0]}
                self.session.execute(SAVE_BATCH, {**params, "b_version": batch.version})
        now = _line_keys(product)
        for reference, order_id, sku, _ in sorted(lines - now):
            params = {"b_reference": reference, "b_order_id": order_id, "b_sku": sku}
            self.session.execute(DELETE_LINE, params)
        added = [
            {"batch_reference": r, "order_id": o, "sku": s, "quantity": q}
            for r, o, s, q in sorted(now - lines)
        ]
        if added:
            self.session.execute(INSERT_LINES, added)
        self._remember(product)


def _insert_batch_row(session: Session, batch: Batch) -> None:
    try:
        session.execute(insert(BatchRow).values(**_batch_values(batch)))
    except IntegrityError as exc:  # a concurrent request registered the reference
        raise BatchExists(batch.reference) from exc


def _batch_values(batch: Batch) -> dict[str, Any]:
    return {
        "reference": batch.reference,
        "sku": batch.sku,
        "purchased_quantity": batch.purchased_quantity,
        "eta": batch.eta,
        "version": batch.version,
    }


class SqlBatchViews:
    """Read-side queries over batches and allocations."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def batch(self, reference: str) -> Batch | None:
        rows = self.session.execute(select(*_BATCH).where(BatchRow.reference == reference)).all()
        found = _with_lines(self.session, rows)
        return found[0] if found else None

    def batch_exists(self, reference: str) -> bool:
        query = select(BatchRow.reference).where(BatchRow.reference == reference)
        return self.session.scalar(query) is not None

    def page(self, query: BatchQuery) -> list[Batch]:
        statement = select(*_BATCH)
        if query.sku is not None:
            statement = statement.where(BatchRow.sku == query.sku)
        if query.arrived is not None:
            arrived = BatchRow.eta.is_(None) if query.arrived else BatchRow.eta.is_not(None)
            statement = statement.where(arrived)
        if query.after is not None:
            statement = statement.where(query.sort.after(BATCH_COLUMNS, query.after))
        statement = statement.order_by(*query.sort.order_by(BATCH_COLUMNS)).limit(query.limit)
        return _with_lines(self.session, self.session.execute(statement).all())

    def lines_of(self, order_id: str) -> list[tuple[OrderLine, str]]:
        query = (
            select(LineRow.batch_reference, LineRow.sku, LineRow.quantity)
            .where(LineRow.order_id == order_id)
            .order_by(LineRow.sku)
        )
        return [
            (OrderLine(order_id, row.sku, row.quantity), row.batch_reference)
            for row in self.session.execute(query)
        ]


class SqlAllocationUnitOfWork(SqlUnitOfWork):
    """The platform's unit of work (session + outbox) with allocation's repositories."""

    products: SqlProducts
    views: SqlBatchViews

    def __enter__(self) -> Self:
        super().__enter__()
        self.products = SqlProducts(self.session)
        self.views = SqlBatchViews(self.session)
        return self
