from __future__ import annotations

import pytest

from shop.orders.domain.events import OrderCancelled
from shop.orders.domain.order import Order, OrderRuleViolated, OrderStatus
from shop.orders.service_layer import handlers
from shop.orders.service_layer.commands import CancelOrder, PlaceOrder
from shop.orders.service_layer.defects import FOREIGN_ORDER_READABLE
from shop.orders.service_layer.handlers import InvalidOrder, Orders
from shop.orders.service_layer.idempotency import (
    IdempotencyClaim,
    IdempotencyMismatch,
    StoredOutcome,
)
from shop.orders.service_layer.saga import OrderNotFound
from shop.orders.service_layer.unit_of_work import OrderQuery

from .conftest import Switches
from .fakes import FakeDownstream, Store, out_of_stock

LINES = (("LAMP", 1),)


def claim(key: str = "k1", digest: str = "body-1") -> IdempotencyClaim:
    return IdempotencyClaim("cus_1", key, digest)


def place(
    orders: Orders, claim: IdempotencyClaim | None = None, customer: str = "cus_1"
) -> StoredOutcome:
    return handlers.place_order(PlaceOrder(customer, LINES, "tok_visa", claim), orders)


def test_a_repeated_key_replays_the_outcome_without_a_second_order(
    orders: Orders, downstream: FakeDownstream, store: Store
) -> None:
    first = place(orders, claim())
    assert place(orders, claim()) == first
    assert len(store.orders) == 1
    assert downstream.calls.count("charge") == 1


def test_a_replayed_failure_keeps_its_status(
    orders: Orders, downstream: FakeDownstream, store: Store
) -> None:
    downstream.fail["reserve"] = out_of_stock
    first = place(orders, claim())
    downstream.fail.clear()
    assert first.status == 409
    assert place(orders, claim()) == first
    assert len(store.orders) == 1


def test_a_key_reused_for_another_request_is_refused(orders: Orders) -> None:
    place(orders, claim(digest="body-1"))
    with pytest.raises(IdempotencyMismatch):
        place(orders, claim(digest="body-2"))


def test_unknown_products_and_repeated_skus_are_invalid(orders: Orders, store: Store) -> None:
    cmd = PlaceOrder("cus_1", (("LAMP", 1), ("NOPE", 1), ("LAMP", 2)))
    with pytest.raises(InvalidOrder) as excinfo:
        handlers.place_order(cmd, orders)
    pointers = [pointer for pointer, _ in excinfo.value.errors]
    assert pointers == ["/body/lines/1/sku", "/body/lines/2/sku"]
    assert store.orders == {}


def test_mixed_currencies_are_invalid(orders: Orders, downstream: FakeDownstream) -> None:
    downstream.prices["LAMP"] = (1299, "USD")
    cmd = PlaceOrder("cus_1", (("LAMP", 1), ("SOFA", 1)))
    with pytest.raises(InvalidOrder):
        handlers.place_order(cmd, orders)


def test_customers_see_only_their_own_orders(orders: Orders) -> None:
    order_id = place(orders).snapshot["id"]
    assert handlers.get_order(order_id, "cus_1", orders).id == order_id
    assert handlers.get_order(order_id, None, orders).id == order_id
    with pytest.raises(OrderNotFound):
        handlers.get_order(order_id, "cus_2", orders)
    with pytest.raises(OrderNotFound):
        handlers.cancel_order(CancelOrder(order_id, "cus_2"), orders)


def test_defect_foreign_order_readable(orders: Orders, defects: Switches) -> None:
    defects.names.add(FOREIGN_ORDER_READABLE)
    order_id = place(orders).snapshot["id"]
    assert handlers.get_order(order_id, "cus_2", orders).id == order_id


def test_cancel_refunds_deallocates_and_releases(
    orders: Orders, downstream: FakeDownstream, store: Store
) -> None:
    order_id = place(orders).snapshot["id"]
    cancelled = handlers.cancel_order(CancelOrder(order_id, "cus_1"), orders)
    assert cancelled.status is OrderStatus.CANCELLED
    assert downstream.calls[-3:] == ["refund", "deallocate:LAMP", "release"]
    assert downstream.refunded == {f"{order_id}:refund": 1299}
    assert isinstance(store.outbox[-1][1], OrderCancelled)
    with pytest.raises(OrderRuleViolated):
        handlers.cancel_order(CancelOrder(order_id, "cus_1"), orders)


def test_cancel_checks_the_precondition_before_changing_anything(
    orders: Orders, store: Store
) -> None:
    order_id = place(orders).snapshot["id"]

    def stale(order: Order) -> None:
        raise RuntimeError(f"version {order.version} does not match")

    with pytest.raises(RuntimeError):
        handlers.cancel_order(CancelOrder(order_id, "cus_1"), orders, stale)
    assert store.orders[order_id].status is OrderStatus.CONFIRMED


def test_lists_are_scoped_to_the_customer(orders: Orders) -> None:
    place(orders, customer="cus_1")
    place(orders, customer="cus_2")
    mine = handlers.list_orders(OrderQuery(limit=10, customer="cus_1"), orders)
    assert [o.customer for o in mine] == ["cus_1"]
    assert len(handlers.list_orders(OrderQuery(limit=10), orders)) == 2


def test_a_total_beyond_what_payments_can_charge_is_invalid(
    orders: Orders, downstream: FakeDownstream
) -> None:
    downstream.prices["LAMP"] = (10**12, "EUR")
    with pytest.raises(InvalidOrder) as excinfo:
        handlers.place_order(PlaceOrder("cus_1", (("LAMP", 2),)), orders)
    assert excinfo.value.errors[0][1].startswith("The total exceeds")
