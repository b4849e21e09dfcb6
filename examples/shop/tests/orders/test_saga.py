from __future__ import annotations

from datetime import timedelta

import pytest

from shop.orders.domain.events import OrderConfirmed, OrderFailed, OrderPlaced
from shop.orders.domain.order import OrderStatus
from shop.orders.service_layer import handlers
from shop.orders.service_layer.commands import PlaceOrder
from shop.orders.service_layer.defects import (
    NO_COMPENSATION_ON_PAYMENT_FAILURE,
    PAYMENT_RETRY_STORM,
)
from shop.orders.service_layer.handlers import Orders
from shop.orders.service_layer.idempotency import StoredOutcome

from .conftest import Switches
from .fakes import (
    Crash,
    FakeClock,
    FakeDownstream,
    FakeUnitOfWork,
    Store,
    out_of_stock,
    unavailable,
)

TWO_LINES = (("LAMP", 2), ("SOFA", 1))


def place(orders: Orders, method: str = "tok_visa") -> StoredOutcome:
    return handlers.place_order(PlaceOrder("cus_1", TWO_LINES, method), orders)


def test_happy_path_reserves_allocates_charges_and_confirms(
    orders: Orders, downstream: FakeDownstream, store: Store
) -> None:
    outcome = place(orders)
    assert outcome.status == 201
    assert outcome.snapshot["status"] == "confirmed"
    assert outcome.snapshot["total_minor"] == 2 * 1299 + 50000
    assert downstream.calls == ["reserve", "allocate:LAMP", "allocate:SOFA", "charge", "confirm"]
    order_id = outcome.snapshot["id"]
    assert downstream.charges == {f"{order_id}:charge": (order_id, 52598)}
    assert [type(e) for _, e in store.outbox] == [OrderPlaced, OrderConfirmed]
    assert [s["state"] for s in outcome.snapshot["steps"]] == ["done"] * 5


@pytest.mark.parametrize(
    ("failing", "undone"),
    [
        ("reserve", []),
        ("allocate:LAMP", ["release"]),
        ("allocate:SOFA", ["deallocate:LAMP", "release"]),
        ("confirm", ["refund", "deallocate:SOFA", "deallocate:LAMP", "release"]),
    ],
)
def test_a_refused_step_compensates_exactly_what_was_done_in_reverse(
    orders: Orders, downstream: FakeDownstream, failing: str, undone: list[str]
) -> None:
    downstream.fail[failing] = out_of_stock
    outcome = place(orders)
    assert outcome.status == 409
    assert outcome.snapshot["status"] == "failed"
    assert outcome.snapshot["failure"] == "out_of_stock"
    performed = downstream.calls[: downstream.calls.index(failing) + 1]
    assert downstream.calls == [*performed, *undone]
    assert downstream.reserved == {}
    assert downstream.allocated == {}


def test_a_declined_payment_leaves_stock_and_allocation_as_they_were(
    orders: Orders, downstream: FakeDownstream, store: Store
) -> None:
    outcome = place(orders, method="tok_declined")
    assert outcome.status == 402
    assert downstream.reserved == {}
    assert downstream.allocated == {}
    assert downstream.charges == {}
    assert downstream.calls[-3:] == ["deallocate:SOFA", "deallocate:LAMP", "release"]
    assert isinstance(store.outbox[-1][1], OrderFailed)


def test_defect_no_compensation_on_payment_failure(
    orders: Orders, downstream: FakeDownstream, defects: Switches
) -> None:
    defects.names.add(NO_COMPENSATION_ON_PAYMENT_FAILURE)
    outcome = place(orders, method="tok_declined")
    assert outcome.snapshot["status"] == "failed"
    assert downstream.reserved != {}
    assert len(downstream.allocated) == 2


def test_an_unavailable_service_pauses_the_saga_and_resume_finishes_it(
    orders: Orders, downstream: FakeDownstream, clock: FakeClock
) -> None:
    downstream.fail["charge"] = unavailable
    outcome = place(orders)
    assert outcome.status == 202
    assert outcome.snapshot["status"] == "pending"
    downstream.fail.clear()
    assert handlers.resume_pending(orders) == []  # not stale yet: maybe still in flight
    clock.advance(60)
    (resumed,) = handlers.resume_pending(orders, stale_after=timedelta(seconds=30))
    assert resumed.status is OrderStatus.CONFIRMED
    assert downstream.calls.count("charge") == 2
    assert len(downstream.charges) == 1


@pytest.mark.parametrize(
    ("commits_before_crash", "repeated"),
    [
        (1, ["reserve", "allocate:LAMP", "allocate:SOFA"]),  # died before logging them
        (2, ["charge"]),  # charged, died before logging the payment
        (3, ["confirm"]),  # confirmed, died before the final commit
    ],
)
def test_a_crash_mid_saga_is_resumed_with_the_same_keys(
    *,
    orders: Orders,
    downstream: FakeDownstream,
    uow: FakeUnitOfWork,
    clock: FakeClock,
    commits_before_crash: int,
    repeated: list[str],
) -> None:
    uow.crash_after_commits = commits_before_crash
    with pytest.raises(Crash):
        place(orders)
    uow.crash_after_commits = None
    clock.advance(60)
    (resumed,) = handlers.resume_pending(orders)
    assert resumed.status is OrderStatus.CONFIRMED
    for call in ["reserve", "allocate:LAMP", "allocate:SOFA", "charge", "confirm"]:
        assert downstream.calls.count(call) == (2 if call in repeated else 1), call
    assert len(downstream.charges) == 1  # a repeated charge reuses its key
    assert len(downstream.reserved) == 1


def test_compensation_interrupted_by_an_outage_is_finished_by_resume(
    orders: Orders, downstream: FakeDownstream, clock: FakeClock
) -> None:
    downstream.fail["allocate:SOFA"] = out_of_stock
    downstream.fail["deallocate:LAMP"] = unavailable
    outcome = place(orders)
    assert outcome.snapshot["status"] == "compensating"
    assert outcome.status == 202
    downstream.fail.clear()
    clock.advance(60)
    (resumed,) = handlers.resume_pending(orders)
    assert resumed.status is OrderStatus.FAILED
    assert downstream.reserved == {}
    assert downstream.allocated == {}


def test_defect_payment_retry_storm_charges_with_fresh_keys(
    orders: Orders, downstream: FakeDownstream, defects: Switches
) -> None:
    defects.names.add(PAYMENT_RETRY_STORM)
    downstream.fail["charge"] = unavailable
    place(orders)
    assert downstream.calls.count("charge") == 10


def test_resume_leaves_finished_orders_alone(
    orders: Orders, downstream: FakeDownstream, clock: FakeClock
) -> None:
    place(orders)
    clock.advance(3600)
    assert handlers.resume_pending(orders) == []
    assert downstream.calls.count("reserve") == 1
