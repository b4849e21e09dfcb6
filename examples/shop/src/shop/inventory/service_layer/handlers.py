"""Command handlers of the inventory: ``handler(cmd, uow, env)``, one transaction each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from shop.inventory.domain.errors import (
    IdempotencyKeyReused,
    InsufficientStock,
    InvalidImport,
    ProductExists,
    ReservationConflict,
    ReservationKeyTaken,
    StaleProduct,
    UnknownProduct,
    UnknownReservation,
)
from shop.inventory.domain.events import (
    TOPICS,
    ReservationConfirmed,
    ReservationReleased,
    StockReserved,
)
from shop.inventory.domain.products import InvalidProduct, Product, check_sku
from shop.inventory.domain.reservations import (
    Reservation,
    ReservationClosed,
    merge_lines,
)
from shop.inventory.domain.stock import (
    Allotment,
    InvalidStock,
    StockLevel,
    check_quantity,
    check_warehouse,
    plan_allotments,
    total_available,
)
from shop.inventory.service_layer import commands, defects
from shop.inventory.service_layer.environment import Environment
from shop.inventory.service_layer.unit_of_work import InventoryUnitOfWork

MAX_IMPORT_ROWS = 10_000
RESERVE_ATTEMPTS = 3


class _Contended(Exception):
    """Stock changed between reading and claiming it; the handler tries again."""


def create_product(cmd: commands.CreateProduct, uow: InventoryUnitOfWork) -> Product:
    product = Product(cmd.sku, cmd.name, cmd.price, dict(cmd.attributes))
    with uow:
        if uow.products.get(cmd.sku) is not None:
            raise ProductExists(cmd.sku)
        uow.products.add(product)
        uow.commit()
    return product


def revise_product(cmd: commands.ReviseProduct, uow: InventoryUnitOfWork) -> Product:
    with uow:
        current = uow.products.get(cmd.sku)
        if current is None:
            raise UnknownProduct(cmd.sku)
        if current.version != cmd.expected_version:
            raise StaleProduct(cmd.sku)
        revised = current.revised(name=cmd.name, price=cmd.price, attributes=cmd.attributes)
        if not uow.products.replace(revised, cmd.expected_version):
            raise StaleProduct(cmd.sku)
        uow.commit()
    return revised


def set_stock(cmd: commands.SetStock, uow: InventoryUnitOfWork) -> None:
    check_warehouse(cmd.warehouse)
    check_quantity(cmd.on_hand)
    with uow:
        if uow.products.get(cmd.sku) is None:
            raise UnknownProduct(cmd.sku)
        uow.stock.set_on_hand([(cmd.sku, cmd.warehouse, cmd.on_hand)])
        uow.commit()


def _row_error(row: tuple[str, str, int], check_count: bool) -> str | None:
    sku, warehouse, quantity = row
    try:
        check_sku(sku)
        check_warehouse(warehouse)
        if check_count:
            check_quantity(quantity)
    except (InvalidProduct, InvalidStock) as exc:
        return str(exc)
    return None


def import_stock(cmd: commands.ImportStock, uow: InventoryUnitOfWork, env: Environment) -> int:
    """Set the counts of every row, or none of them; the number of rows imported."""
    if len(cmd.rows) > MAX_IMPORT_ROWS:
        raise ValueError(f"an import holds at most {MAX_IMPORT_ROWS} rows")
    check_count = True
    if not cmd.trusted_quantities and env.defects.on(defects.NEGATIVE_STOCK):
        check_count = False  # DEFECT: inventory-negative-stock
    errors = [(n, e) for n, row in enumerate(cmd.rows) if (e := _row_error(row, check_count))]
    if errors:
        raise InvalidImport(errors)
    with uow:
        known = uow.products.known(sorted({sku for sku, _, _ in cmd.rows}))
        unknown = [
            (n, f"unknown SKU {row[0]!r}") for n, row in enumerate(cmd.rows) if row[0] not in known
        ]
        if unknown:
            raise InvalidImport(unknown)
        uow.stock.set_on_hand(cmd.rows)
        uow.commit()
    return len(cmd.rows)


def _existing_reservation(
    uow: InventoryUnitOfWork, cmd: commands.Reserve, now: datetime
) -> Reservation | None:
    """The reservation a retry gets back: the one made under the same ``Idempotency-Key``
    (which must come with the same request), else the order's live one."""
    if cmd.idempotency_key is not None:
        keyed = uow.reservations.by_key(cmd.idempotency_key)
        if keyed is not None:
            if keyed.order_id != cmd.order_id or not keyed.matches(cmd.lines):
                raise IdempotencyKeyReused
            return keyed
    live = [r for r in uow.reservations.for_order(cmd.order_id) if r.holds_stock_at(now)]
    if not live:
        return None
    if not live[0].matches(cmd.lines):
        raise ReservationConflict(
            f"order {cmd.order_id!r} already holds a reservation for different lines"
        )
    return live[0]


def _plan(
    wanted: dict[str, int], levels: dict[str, list[StockLevel]]
) -> tuple[list[Allotment], list[StockLevel]]:
    allotments: list[Allotment] = []
    for sku, quantity in wanted.items():
        available = total_available(levels[sku])
        if available < quantity:
            raise InsufficientStock(sku, quantity, available)
        allotments.extend(plan_allotments(levels[sku], quantity))
    used = {(a.sku, a.warehouse) for a in allotments}
    touched = [lv for sku in wanted for lv in levels[sku] if (lv.sku, lv.warehouse) in used]
    return allotments, touched


def _check_quantities(wanted: dict[str, int]) -> None:
    for sku, quantity in wanted.items():
        if quantity <= 0:
            raise ReservationConflict(f"the quantity of {sku!r} must be at least 1")


def _check_known(levels: dict[str, list[StockLevel]], uow: InventoryUnitOfWork) -> None:
    """``UnknownProduct`` for the first SKU that is not a product. Stock rows belong to
    a product (foreign key), so only SKUs without any are looked up."""
    unstocked = sorted(sku for sku, found in levels.items() if not found)
    if not unstocked:
        return
    missing = sorted(set(unstocked) - uow.products.known(unstocked))
    if missing:
        raise UnknownProduct(missing[0])


@dataclass(frozen=True, slots=True)
class Reserved:
    """The outcome of ``reserve``: the reservation, and whether this call created it."""

    reservation: Reservation
    created: bool


def _record(
    cmd: commands.Reserve,
    uow: InventoryUnitOfWork,
    env: Environment,
    allotments: list[Allotment],
    now: datetime,
) -> Reservation:
    """Store the reservation and its event, and commit."""
    expires = now + timedelta(seconds=cmd.ttl_seconds)
    reservation = Reservation(
        env.new_id(),
        cmd.order_id,
        tuple(allotments),
        now,
        expires,
        idempotency_key=cmd.idempotency_key,
    )
    uow.reservations.add(reservation)
    lines = tuple(merge_lines(cmd.lines).items())
    uow.emit(TOPICS[StockReserved], StockReserved(reservation.id, cmd.order_id, lines))
    uow.commit()
    return reservation


def _reserve_once(cmd: commands.Reserve, uow: InventoryUnitOfWork, env: Environment) -> Reserved:
    with uow:
        now = env.clock()
        existing = _existing_reservation(uow, cmd, now)
        if existing is not None:
            return Reserved(existing, created=False)
        wanted = merge_lines(cmd.lines)
        _check_quantities(wanted)
        levels = uow.stock.levels(sorted(wanted), now)
        _check_known(levels, uow)
        allotments, touched = _plan(wanted, levels)
        if env.defects.on(defects.RESERVATION_RACE):  # DEFECT: inventory-reservation-race
            uow.commit()  # the check ends here; the act below runs in a new transaction
        elif uow.stock.claim(touched):
            return Reserved(_record(cmd, uow, env, allotments, now), created=True)
        else:
            raise _Contended
    with uow:  # DEFECT: inventory-reservation-race — acts on a stale check, unguarded
        return Reserved(_record(cmd, uow, env, allotments, now), created=True)


def reserve(cmd: commands.Reserve, uow: InventoryUnitOfWork, env: Environment) -> Reserved:
    """Hold stock for an order, all lines or none; the same order asking again for the
    same lines gets its live reservation back."""
    if cmd.ttl_seconds <= 0:
        raise ReservationConflict("a reservation must live at least one second")
    for _ in range(RESERVE_ATTEMPTS):
        try:
            return _reserve_once(cmd, uow, env)
        except (_Contended, ReservationKeyTaken):  # the next attempt sees who won
            continue
    raise ReservationConflict("the stock is changing too fast; try again")


def _load(uow: InventoryUnitOfWork, reservation_id: str) -> Reservation:
    reservation = uow.reservations.get(reservation_id)
    if reservation is None:
        raise UnknownReservation(reservation_id)
    return reservation


def release(cmd: commands.Release, uow: InventoryUnitOfWork, env: Environment) -> Reservation:
    """Give the units back; releasing twice, or an expired reservation, changes nothing."""
    with uow:
        current = _load(uow, cmd.reservation_id)
        try:
            after = current.released(env.clock())
        except ReservationClosed as exc:
            raise ReservationConflict(f"the reservation is {exc.status.value}") from exc
        if after is not current:
            uow.reservations.save_status(after)
            event = ReservationReleased(after.id, after.order_id)
            uow.emit(TOPICS[ReservationReleased], event)
            uow.commit()
    return after


def confirm(cmd: commands.Confirm, uow: InventoryUnitOfWork, env: Environment) -> Reservation:
    """Ship the reserved units: they leave the stock on hand. Idempotent."""
    with uow:
        current = _load(uow, cmd.reservation_id)
        try:
            after = current.confirmed(env.clock())
        except ReservationClosed as exc:
            raise ReservationConflict(f"the reservation is {exc.status.value}") from exc
        if after.stored_status is not current.stored_status:
            uow.stock.deduct(after.allotments)
            uow.reservations.save_status(after)
            uow.emit(TOPICS[ReservationConfirmed], ReservationConfirmed(after.id, after.order_id))
            uow.commit()
    return after
