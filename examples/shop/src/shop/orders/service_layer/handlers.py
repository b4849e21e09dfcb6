"""Command handlers and queries of the orders service."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from shop.orders.domain.order import Order, OrderLine
from shop.orders.service_layer.commands import CancelOrder, PlaceOrder
from shop.orders.service_layer.defects import FOREIGN_ORDER_READABLE
from shop.orders.service_layer.environment import OrdersEnvironment
from shop.orders.service_layer.idempotency import (
    DuplicateRequest,
    IdempotencyClaim,
    PlacementRecord,
    StoredOutcome,
)
from shop.orders.service_layer.ports import InventoryPort, StepRejected
from shop.orders.service_layer.saga import OrderNotFound, OrderSaga
from shop.orders.service_layer.unit_of_work import (
    OrderChanged,
    OrderQuery,
    OrdersUnitOfWork,
    collect_events,
)
from shop.orders.service_layer.views import order_snapshot, placement_status

UowFactory = Callable[[], OrdersUnitOfWork]
MAX_TOTAL_MINOR = 10**12
"""The largest order total the payments service can charge, in minor units."""


class InvalidOrder(Exception):
    """The order cannot be placed as asked (422): ``errors`` are (pointer, detail)."""

    def __init__(self, detail: str, errors: Sequence[tuple[str, str]]) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = list(errors)


@dataclass(frozen=True)
class Orders:
    """The orders service layer wired to its unit of work, saga and inventory port."""

    uow_factory: UowFactory
    saga: OrderSaga
    inventory: InventoryPort
    env: OrdersEnvironment


def place_order(cmd: PlaceOrder, orders: Orders) -> StoredOutcome:
    """Accept the order, run the saga, answer its outcome (replayed for a repeated key)."""
    claim = cmd.idempotency
    try:
        with orders.uow_factory() as uow:
            replay = _replay(uow, claim)
            if replay is not None:
                return replay
            order = _new_order(cmd, orders)
            _accept(uow, order, claim)

            def settle(final: Order) -> None:
                if claim is not None:
                    outcome = StoredOutcome(placement_status(final), order_snapshot(final))
                    uow.placements.settle(claim.scope, claim.key, outcome)

            final = orders.saga.drive(uow, order, on_final=settle)
    except DuplicateRequest:
        with orders.uow_factory() as uow:
            replay = _replay(uow, claim)
        assert replay is not None, "a duplicate key must have a stored placement"
        return replay
    return StoredOutcome(placement_status(final), order_snapshot(final))


def _new_order(cmd: PlaceOrder, orders: Orders) -> Order:
    lines, currency = _priced_lines(cmd, orders.inventory)
    return Order.place(
        orders.env.ids("ord"),
        cmd.customer,
        lines,
        currency=currency,
        payment_method=cmd.payment_method,
        now=orders.env.clock(),
    )


def _priced_lines(cmd: PlaceOrder, inventory: InventoryPort) -> tuple[tuple[OrderLine, ...], str]:
    errors: list[tuple[str, str]] = []
    lines: list[OrderLine] = []
    currencies: set[str] = set()
    for index, (sku, qty) in enumerate(cmd.lines):
        if any(sku == other for other, _ in cmd.lines[:index]):
            errors.append((f"/body/lines/{index}/sku", f"SKU {sku!r} appears more than once."))
            continue
        try:
            price, currency = inventory.price_of(sku)
        except StepRejected:
            errors.append((f"/body/lines/{index}/sku", f"Product {sku!r} does not exist."))
            continue
        currencies.add(currency)
        lines.append(OrderLine(sku, qty, price))
    if len(currencies) > 1:
        errors.append(("/body/lines", "The products are priced in different currencies."))
    if sum(line.total_minor for line in lines) > MAX_TOTAL_MINOR:
        errors.append(("/body/lines", f"The total exceeds {MAX_TOTAL_MINOR} minor units."))
    if errors or not lines:
        raise InvalidOrder("The order cannot be placed as asked; see errors.", errors)
    return tuple(lines), currencies.pop()


def _accept(uow: OrdersUnitOfWork, order: Order, claim: IdempotencyClaim | None) -> None:
    uow.orders.add(order)
    if claim is not None:
        uow.placements.add(PlacementRecord(claim.scope, claim.key, claim.fingerprint, order.id))
    collect_events(uow, order)
    uow.commit()


def _replay(uow: OrdersUnitOfWork, claim: IdempotencyClaim | None) -> StoredOutcome | None:
    """The answer to a repeated placement key, from ``uow``; None for a new key."""
    if claim is None:
        return None
    record = uow.placements.get(claim.scope, claim.key)
    if record is None:
        return None
    order_id = record.matches(claim)
    if record.outcome is not None:
        return record.outcome
    order = uow.orders.get(order_id)
    if order is None:  # pragma: no cover - the record and the order commit together
        raise OrderNotFound(order_id)
    return StoredOutcome(placement_status(order), order_snapshot(order))


def get_order(order_id: str, viewer: str | None, orders: Orders) -> Order:
    """The order if ``viewer`` may see it (``None``: staff); another's is "not found"."""
    with orders.uow_factory() as uow:
        order = uow.orders.get(order_id)
    foreign = order is not None and viewer is not None and order.customer != viewer
    if foreign and orders.env.defects.on(FOREIGN_ORDER_READABLE):
        # DEFECT orders-foreign-order-readable: ownership is not checked (BOLA).
        foreign = False
    if order is None or foreign:
        raise OrderNotFound(order_id)
    return order


def cancel_order(
    cmd: CancelOrder, orders: Orders, precondition: Callable[[Order], None] | None = None
) -> Order:
    """Cancel a confirmed order: refund, deallocate and release, in that order.

    ``precondition`` sees the current order first (the API checks ``If-Match`` there).
    """
    get_order(cmd.order_id, cmd.viewer, orders)
    with orders.uow_factory() as uow:
        order = uow.orders.get(cmd.order_id)
        if order is None:  # pragma: no cover - checked just above
            raise OrderNotFound(cmd.order_id)
        if precondition is not None:
            precondition(order)
        order.request_cancel(orders.env.clock())
        collect_events(uow, order)
        uow.commit()
        return orders.saga.drive(uow, order)


def list_orders(query: OrderQuery, orders: Orders) -> Sequence[Order]:
    with orders.uow_factory() as uow:
        return list(uow.orders.list(query))


def resume_pending(
    orders: Orders, stale_after: timedelta = timedelta(seconds=30), limit: int = 100
) -> list[Order]:
    """Drive every unfinished order untouched for ``stale_after`` (crash recovery)."""
    cutoff = orders.env.clock() - stale_after
    with orders.uow_factory() as uow:
        order_ids = list(uow.orders.unfinished(cutoff, limit))
    resumed: list[Order] = []
    for order_id in order_ids:
        try:
            resumed.append(orders.saga.run(order_id))
        except OrderChanged:  # another worker is driving this order
            continue
    return resumed
