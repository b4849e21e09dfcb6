from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shop.orders.domain.events import OrderCancelled, OrderConfirmed, OrderFailed, OrderPlaced
from shop.orders.domain.order import Order, OrderLine, OrderRuleViolated, OrderStatus
from shop.orders.domain.saga_log import StepKind, StepRef, StepState

NOW = datetime(2026, 1, 1, tzinfo=UTC)
RESERVE, CHARGE, CONFIRM = (
    StepRef(StepKind.RESERVE),
    StepRef(StepKind.CHARGE),
    StepRef(StepKind.CONFIRM),
)


def order() -> Order:
    lines = (OrderLine("LAMP", 2, 1299), OrderLine("SOFA", 1, 50000))
    return Order.place("ord_1", "cus_1", lines, currency="EUR", payment_method="tok", now=NOW)


def run_until(o: Order, last: StepRef) -> None:
    for ref in o.plan():
        o.complete(ref, f"ref-{ref}", NOW)
        if ref == last:
            return


def test_a_new_order_is_pending_with_its_total_and_plan() -> None:
    o = order()
    assert (o.status, o.total_minor) == (OrderStatus.PENDING, 52598)
    assert [str(ref) for ref in o.plan()] == [
        "reserve",
        "allocate:LAMP",
        "allocate:SOFA",
        "charge",
        "confirm",
    ]
    assert isinstance(o.events[0], OrderPlaced)
    with pytest.raises(OrderRuleViolated):
        Order.place("ord_2", "cus_1", (), currency="EUR", payment_method="tok", now=NOW)


def test_completing_the_plan_confirms_once() -> None:
    o = order()
    run_until(o, CONFIRM)
    assert o.status is OrderStatus.CONFIRMED
    assert o.next_step() is None
    version = o.version
    o.complete(CONFIRM, "again", NOW)
    assert o.version == version
    assert [type(e) for e in o.events] == [OrderPlaced, OrderConfirmed]


def test_a_refusal_compensates_the_done_steps_most_recent_first() -> None:
    o = order()
    run_until(o, CHARGE)
    o.fail(CONFIRM, "reservation-conflict", "expired", NOW)
    assert o.status.value == "compensating"
    assert [str(ref) for ref in o.pending_compensations()] == [
        "charge",
        "allocate:SOFA",
        "allocate:LAMP",
        "reserve",
    ]
    for ref in o.pending_compensations():
        o.compensated(ref, "", NOW)
    o.finish_compensation(NOW)
    assert o.status is OrderStatus.FAILED
    assert o.failure == "reservation-conflict"
    assert isinstance(o.events[-1], OrderFailed)
    failed = o.step(CONFIRM)
    assert failed is not None
    assert failed.state is StepState.FAILED


def test_only_confirmed_orders_can_be_cancelled() -> None:
    o = order()
    with pytest.raises(OrderRuleViolated):
        o.request_cancel(NOW)
    run_until(o, CONFIRM)
    o.request_cancel(NOW)
    for ref in o.pending_compensations():
        o.compensated(ref, "", NOW)
    o.finish_compensation(NOW)
    assert o.status is OrderStatus.CANCELLED
    assert isinstance(o.events[-1], OrderCancelled)


def test_a_pause_counts_attempts_without_changing_state() -> None:
    o = order()
    o.pause(RESERVE, "connection refused", NOW)
    assert (o.status, o.attempts, o.next_step()) == (OrderStatus.PENDING, 1, RESERVE)
    assert o.last_error == "reserve: connection refused"
