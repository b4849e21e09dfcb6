from __future__ import annotations

from shop.orders.domain.order import OrderStatus
from shop.orders.service_layer import handlers
from shop.orders.service_layer.commands import PlaceOrder
from shop.orders.service_layer.handlers import Orders
from shop.orders.service_layer.recovery import SagaResumer

from .fakes import FakeClock, FakeDownstream, Store, unavailable


def test_the_resumer_finishes_paused_orders_in_the_background(
    orders: Orders, downstream: FakeDownstream, clock: FakeClock, store: Store
) -> None:
    downstream.fail["charge"] = unavailable
    order_id = handlers.place_order(PlaceOrder("cus_1", (("LAMP", 1),)), orders).snapshot["id"]
    downstream.fail.clear()
    clock.advance(60)
    resumer = SagaResumer(orders, interval=3600)
    resumer.start()
    try:
        assert resumer.round_done.wait(timeout=10)
    finally:
        resumer.stop()
    assert resumer.rounds == 1
    assert store.orders[order_id].status is OrderStatus.CONFIRMED


def test_a_failing_round_is_logged_and_survived(orders: Orders, store: Store) -> None:
    def broken() -> None:
        raise RuntimeError("database down")

    broken_orders = Orders(broken, orders.saga, orders.inventory, orders.env)  # type: ignore[arg-type]
    resumer = SagaResumer(broken_orders)
    assert resumer.run_once() == 0
    assert resumer.rounds == 1
