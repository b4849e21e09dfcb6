"""SQLAlchemy repositories of the inventory and its unit of work.

Reads select columns (not ORM entities), so a row changed by a compare-and-set
``UPDATE`` is never served stale from the session's identity map. Every list read is a
constant number of statements whatever the number of rows it returns.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, Self, cast

from sqlalchemy import (
    BindParameter,
    DateTime,
    Row,
    Select,
    Table,
    and_,
    bindparam,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shop.inventory.adapters.tables import (
    ProductRow,
    ReservationLineRow,
    ReservationRow,
    StockRow,
)
from shop.inventory.domain.errors import ProductExists, ReservationKeyTaken
from shop.inventory.domain.money import Money
from shop.inventory.domain.products import Product
from shop.inventory.domain.reservations import Reservation, ReservationStatus
from shop.inventory.domain.stock import Allotment, StockLevel
from shop.inventory.service_layer.unit_of_work import ProductQuery
from shop.platform.problems import Conflict
from shop.platform.unit_of_work import SqlUnitOfWork

PRODUCT_COLUMNS: dict[str, Any] = {
    "sku": ProductRow.sku,
    "name": ProductRow.name,
    "price": ProductRow.price_amount,
}
STOCK = cast(Table, StockRow.__table__)
CHUNK = 5000


def _utc(moment: datetime) -> datetime:
    """``moment`` as aware UTC (SQLite hands back naive datetimes)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _product(row: Row[Any]) -> Product:
    price = Money(row.price_amount, row.price_currency)
    return Product(row.sku, row.name, price, dict(row.attributes or {}), row.version)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class SqlProducts:
    """Products in ``inventory_products``."""

    _columns = (
        ProductRow.sku,
        ProductRow.name,
        ProductRow.price_amount,
        ProductRow.price_currency,
        ProductRow.attributes,
        ProductRow.version,
    )

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, sku: str) -> Product | None:
        row = self.session.execute(PRODUCT_BY_SKU, {"b_sku": sku}).first()
        return _product(row) if row is not None else None

    def known(self, skus: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for chunk in _chunks(skus):
            found.update(
                self.session.scalars(select(ProductRow.sku).where(ProductRow.sku.in_(chunk)))
            )
        return found

    def add(self, product: Product) -> None:
        try:
            self.session.execute(insert(ProductRow).values(**self._values(product)))
        except IntegrityError as exc:  # a concurrent create won
            raise ProductExists(product.sku) from exc

    def replace(self, product: Product, expected_version: int) -> bool:
        statement = (
            update(ProductRow)
            .where(ProductRow.sku == product.sku, ProductRow.version == expected_version)
            .values(**self._values(product))
        )
        return bool(self.session.execute(statement).rowcount == 1)  # type: ignore[attr-defined]

    def page(self, query: ProductQuery) -> list[Product]:
        statement = self._filtered(select(*self._columns), query)
        if query.after is not None:
            statement = statement.where(query.sort.after(PRODUCT_COLUMNS, query.after))
        statement = statement.order_by(*query.sort.order_by(PRODUCT_COLUMNS)).limit(query.limit)
        return [_product(row) for row in self.session.execute(statement)]

    @staticmethod
    def _filtered(statement: Select[Any], query: ProductQuery) -> Select[Any]:
        if query.name_contains:
            pattern = f"%{_escape_like(query.name_contains)}%"
            statement = statement.where(ProductRow.name.ilike(pattern, escape="\\"))
        if query.currency is not None:
            statement = statement.where(ProductRow.price_currency == query.currency)
        if query.min_price is not None:
            statement = statement.where(ProductRow.price_amount >= query.min_price)
        if query.max_price is not None:
            statement = statement.where(ProductRow.price_amount <= query.max_price)
        return statement

    @staticmethod
    def _values(product: Product) -> dict[str, Any]:
        return {
            "sku": product.sku,
            "name": product.name,
            "price_amount": product.price.amount,
            "price_currency": product.price.currency,
            "attributes": dict(product.attributes),
            "version": product.version,
        }


PRODUCT_BY_SKU = select(*SqlProducts._columns).where(ProductRow.sku == bindparam("b_sku"))


def _level_query(
    now: datetime | BindParameter[datetime], skus: BindParameter[list[str]] | None = None
) -> Select[str, str, int, int, Any]:
    """Stock rows with the units live reservations hold, in one statement.

    With ``skus`` the held units are summed for those SKUs only (the reservation lines'
    ``(sku, warehouse)`` index), not for every line ever reserved.
    """
    held_query = (
        select(
            ReservationLineRow.sku,
            ReservationLineRow.warehouse,
            func.sum(ReservationLineRow.quantity).label("held"),
        )
        .join(ReservationRow, ReservationRow.id == ReservationLineRow.reservation_id)
        .where(ReservationRow.status == ReservationStatus.PENDING.value)
        .where(ReservationRow.expires_at > now)
        .group_by(ReservationLineRow.sku, ReservationLineRow.warehouse)
    )
    if skus is not None:
        held_query = held_query.where(ReservationLineRow.sku.in_(skus))
    held = held_query.subquery()
    joined = and_(held.c.sku == StockRow.sku, held.c.warehouse == StockRow.warehouse)
    return (
        select(
            StockRow.sku,
            StockRow.warehouse,
            StockRow.on_hand,
            StockRow.version,
            func.coalesce(held.c.held, 0).label("reserved"),
        )
        .outerjoin(held, joined)
        .order_by(StockRow.sku, StockRow.warehouse)
    )


# The statements of a reservation's path, built once (values travel as parameters).
_SKUS: BindParameter[list[str]] = bindparam("b_skus", expanding=True)
LEVELS_OF = _level_query(bindparam("b_now", type_=DateTime(timezone=True)), _SKUS).where(
    StockRow.sku.in_(_SKUS)
)
CLAIM = (
    update(STOCK)
    .where(STOCK.c.sku == bindparam("b_sku"), STOCK.c.warehouse == bindparam("b_warehouse"))
    .where(STOCK.c.version == bindparam("b_version"))
    .values(version=STOCK.c.version + 1)
)
DEDUCT = (
    update(STOCK)
    .where(STOCK.c.sku == bindparam("b_sku"), STOCK.c.warehouse == bindparam("b_warehouse"))
    .values(on_hand=STOCK.c.on_hand - bindparam("b_quantity"), version=STOCK.c.version + 1)
)


def _level(row: Row[Any]) -> StockLevel:
    return StockLevel(row.sku, row.warehouse, row.on_hand, int(row.reserved), row.version)


class SqlStock:
    """Stock levels in ``inventory_stock``; reserved units summed from live reservations."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def levels(self, skus: Sequence[str], now: datetime) -> dict[str, list[StockLevel]]:
        found: dict[str, list[StockLevel]] = {sku: [] for sku in skus}
        for row in self.session.execute(LEVELS_OF, {"b_now": now, "b_skus": list(skus)}):
            found[row.sku].append(_level(row))
        return found

    def set_on_hand(self, rows: Sequence[tuple[str, str, int]]) -> None:
        wanted = {(sku, warehouse): on_hand for sku, warehouse, on_hand in rows}
        existing = self._existing(sorted({sku for sku, _ in wanted}))
        fresh = [
            {"sku": s, "warehouse": w, "on_hand": n, "version": 1}
            for (s, w), n in wanted.items()
            if (s, w) not in existing
        ]
        changed = [
            {"b_sku": s, "b_warehouse": w, "b_on_hand": n}
            for (s, w), n in wanted.items()
            if (s, w) in existing
        ]
        if fresh:
            try:
                self.session.execute(insert(STOCK), fresh)
            except IntegrityError as exc:  # a concurrent import created the same level
                raise Conflict("The stock changed concurrently; send the request again.") from exc
        if changed:
            statement = (
                update(STOCK)
                .where(STOCK.c.sku == bindparam("b_sku"))
                .where(STOCK.c.warehouse == bindparam("b_warehouse"))
                .values(on_hand=bindparam("b_on_hand"), version=STOCK.c.version + 1)
            )
            self.session.execute(statement, changed)

    def _existing(self, skus: Sequence[str]) -> set[tuple[str, str]]:
        keys: set[tuple[str, str]] = set()
        for chunk in _chunks(skus):
            query = select(StockRow.sku, StockRow.warehouse).where(StockRow.sku.in_(chunk))
            keys.update((row.sku, row.warehouse) for row in self.session.execute(query))
        return keys

    def claim(self, levels: Sequence[StockLevel]) -> bool:
        for level in levels:
            params = {"b_sku": level.sku, "b_warehouse": level.warehouse}
            result = self.session.execute(CLAIM, {**params, "b_version": level.version})
            if result.rowcount != 1:  # type: ignore[attr-defined]
                return False
        return True

    def deduct(self, allotments: Sequence[Allotment]) -> None:
        params = [
            {"b_sku": a.sku, "b_warehouse": a.warehouse, "b_quantity": a.quantity}
            for a in allotments
        ]
        if params:
            self.session.execute(DEDUCT, params)

    def export(self, warehouse: str | None, now: datetime) -> Iterator[StockLevel]:
        statement = _level_query(now)
        if warehouse is not None:
            statement = statement.where(StockRow.warehouse == warehouse)
        for row in self.session.execute(statement.execution_options(yield_per=1000)):
            yield _level(row)


RESERVATIONS = cast(Table, ReservationRow.__table__)
RESERVATION_LINES = cast(Table, ReservationLineRow.__table__)
_RESERVATION_WITH_LINES = (
    select(
        RESERVATIONS.c.id,
        RESERVATIONS.c.order_id,
        RESERVATIONS.c.status,
        RESERVATIONS.c.created_at,
        RESERVATIONS.c.expires_at,
        RESERVATIONS.c.idempotency_key,
        RESERVATION_LINES.c.sku,
        RESERVATION_LINES.c.warehouse,
        RESERVATION_LINES.c.quantity,
    )
    .select_from(RESERVATIONS)
    .outerjoin(RESERVATION_LINES, RESERVATION_LINES.c.reservation_id == RESERVATIONS.c.id)
    .order_by(RESERVATIONS.c.created_at, RESERVATIONS.c.id, RESERVATION_LINES.c.id)
)


RESERVATION_BY_ID = _RESERVATION_WITH_LINES.where(RESERVATIONS.c.id == bindparam("b_value"))
RESERVATIONS_OF_ORDER = _RESERVATION_WITH_LINES.where(
    RESERVATIONS.c.order_id == bindparam("b_value")
)
RESERVATION_BY_KEY = _RESERVATION_WITH_LINES.where(
    RESERVATIONS.c.idempotency_key == bindparam("b_value")
)
INSERT_RESERVATION = insert(RESERVATIONS)
INSERT_RESERVATION_LINES = insert(RESERVATION_LINES)
SAVE_STATUS = (
    update(RESERVATIONS)
    .where(RESERVATIONS.c.id == bindparam("b_id"))
    .values(status=bindparam("b_status"))
)


def _reservations(session: Session, statement: Any, value: str) -> list[Reservation]:
    """Reservations and their lines in one statement (one row per line)."""
    heads: dict[str, Any] = {}
    lines: dict[str, list[Allotment]] = {}
    for row in session.execute(statement, {"b_value": value}):
        heads.setdefault(row.id, row)
        held = lines.setdefault(row.id, [])
        if row.sku is not None:
            held.append(Allotment(row.sku, row.warehouse, row.quantity))
    return [
        Reservation(
            head.id,
            head.order_id,
            tuple(lines[head.id]),
            _utc(head.created_at),
            _utc(head.expires_at),
            ReservationStatus(head.status),
            head.idempotency_key,
        )
        for head in heads.values()
    ]


class SqlReservations:
    """Reservations in ``inventory_reservations`` and their lines."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, reservation_id: str) -> Reservation | None:
        found = _reservations(self.session, RESERVATION_BY_ID, reservation_id)
        return found[0] if found else None

    def for_order(self, order_id: str) -> list[Reservation]:
        return _reservations(self.session, RESERVATIONS_OF_ORDER, order_id)

    def by_key(self, idempotency_key: str) -> Reservation | None:
        found = _reservations(self.session, RESERVATION_BY_KEY, idempotency_key)
        return found[0] if found else None

    def add(self, reservation: Reservation) -> None:
        values = {
            "id": reservation.id,
            "order_id": reservation.order_id,
            "status": reservation.stored_status.value,
            "created_at": reservation.created_at,
            "expires_at": reservation.expires_at,
            "idempotency_key": reservation.idempotency_key,
        }
        try:
            self.session.execute(INSERT_RESERVATION, values)
        except IntegrityError as exc:  # a concurrent request with the same key won
            if reservation.idempotency_key is None:
                raise
            raise ReservationKeyTaken(reservation.idempotency_key) from exc
        self.session.execute(INSERT_RESERVATION_LINES, list(self._lines(reservation)))

    @staticmethod
    def _lines(reservation: Reservation) -> Iterable[dict[str, Any]]:
        for a in reservation.allotments:
            yield {
                "reservation_id": reservation.id,
                "sku": a.sku,
                "warehouse": a.warehouse,
                "quantity": a.quantity,
            }

    def save_status(self, reservation: Reservation) -> None:
        params = {"b_id": reservation.id, "b_status": reservation.stored_status.value}
        self.session.execute(SAVE_STATUS, params)


class SqlInventoryUnitOfWork(SqlUnitOfWork):
    """The platform's unit of work (session + outbox) with the inventory's repositories."""

    products: SqlProducts
    stock: SqlStock
    reservations: SqlReservations

    def __enter__(self) -> Self:
        super().__enter__()
        self.products = SqlProducts(self.session)
        self.stock = SqlStock(self.session)
        self.reservations = SqlReservations(self.session)
        return self
