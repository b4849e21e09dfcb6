"""The order aggregate and the state of its placement saga.

Placing an order runs the plan ``reserve → allocate each line → charge → confirm``. Each
finished step is logged with its downstream reference; a rejected step turns the order to
``compensating``, which undoes the finished steps in reverse, then ``failed``. Cancelling a
confirmed order compensates the same way and ends ``cancelled``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from shop.orders.domain.events import (
    OrderCancelled,
    OrderConfirmed,
    OrderEvent,
    OrderFailed,
    OrderPlaced,
)
from shop.orders.domain.saga_log import COMPENSABLE, SagaStep, StepKind, StepRef, StepState


class OrderStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    COMPENSATING = "compensating"
    FAILED = "failed"
    CANCELLED = "cancelled"


UNFINISHED = (OrderStatus.PENDING, OrderStatus.COMPENSATING)


class OrderRuleViolated(Exception):
    """A command the order's state does not allow (answered as 409)."""

    def __init__(self, slug: str, detail: str) -> None:
        super().__init__(detail)
        self.slug = slug
        self.detail = detail


@dataclass(frozen=True)
class OrderLine:
    sku: str
    qty: int
    unit_price_minor: int

    @property
    def total_minor(self) -> int:
        return self.qty * self.unit_price_minor


@dataclass
class Order:
    id: str
    customer: str
    lines: tuple[OrderLine, ...]
    currency: str
    payment_method: str
    status: OrderStatus
    created_at: datetime
    updated_at: datetime
    steps: list[SagaStep] = field(default_factory=list)
    failure: str | None = None
    cancel_requested: bool = False
    attempts: int = 0
    last_error: str | None = None
    version: int = 1
    events: list[OrderEvent] = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def place(
        cls,
        order_id: str,
        customer: str,
        lines: tuple[OrderLine, ...],
        *,
        currency: str,
        payment_method: str,
        now: datetime,
    ) -> Order:
        """A new pending order; the saga then drives it."""
        if not lines:
            raise OrderRuleViolated("order-empty", "An order needs at least one line.")
        order = cls(
            id=order_id,
            customer=customer,
            lines=lines,
            currency=currency,
            payment_method=payment_method,
            status=OrderStatus.PENDING,
            created_at=now,
            updated_at=now,
        )
        order.events.append(
            OrderPlaced(
                order_id=order_id,
                customer=customer,
                total_minor=order.total_minor,
                currency=currency,
                lines=tuple((line.sku, line.qty) for line in lines),
                occurred_at=now,
            )
        )
        return order

    @property
    def total_minor(self) -> int:
        return sum(line.total_minor for line in self.lines)

    def plan(self) -> list[StepRef]:
        allocations = [StepRef(StepKind.ALLOCATE, line.sku) for line in self.lines]
        return [
            StepRef(StepKind.RESERVE),
            *allocations,
            StepRef(StepKind.CHARGE),
            StepRef(StepKind.CONFIRM),
        ]

    def step(self, ref: StepRef) -> SagaStep | None:
        return next((step for step in self.steps if step.ref == ref), None)

    def reference_of(self, ref: StepRef) -> str | None:
        step = self.step(ref)
        return step.reference if step is not None else None

    def next_step(self) -> StepRef | None:
        """The first step of the plan not done yet (None when all are done)."""
        if self.status is not OrderStatus.PENDING:
            return None
        return next((ref for ref in self.plan() if self.step(ref) is None), None)

    def complete(self, ref: StepRef, reference: str | None, now: datetime) -> None:
        """Log ``ref`` as done; the last step confirms the order. Repeats are no-ops."""
        if self.status is not OrderStatus.PENDING or self.step(ref) is not None:
            return
        self.steps.append(SagaStep(ref, StepState.DONE, reference, "", now))
        self.last_error = None
        if self.next_step() is None:
            self.status = OrderStatus.CONFIRMED
            payment = self.reference_of(StepRef(StepKind.CHARGE))
            self.events.append(
                OrderConfirmed(
                    order_id=self.id, customer=self.customer, payment_id=payment, occurred_at=now
                )
            )
        self._touch(now)

    def pause(self, ref: StepRef, error: str, now: datetime) -> None:
        """A downstream service is unavailable: stay unfinished, to be resumed."""
        self.attempts += 1
        self.last_error = f"{ref}: {error}"
        self._touch(now)

    def fail(
        self, ref: StepRef, reason: str, detail: str, now: datetime, *, compensate: bool = True
    ) -> None:
        """``ref`` was rejected: compensate every finished step, then fail.

        ``compensate=False`` fails at once, leaving the finished steps in place.
        """
        if self.status is not OrderStatus.PENDING:
            return
        self.steps.append(SagaStep(ref, StepState.FAILED, None, detail, now))
        self.failure = reason
        self.status = OrderStatus.COMPENSATING
        self._touch(now)
        if not compensate:
            self._end(now)

    def request_cancel(self, now: datetime) -> None:
        if self.status is not OrderStatus.CONFIRMED:
            raise OrderRuleViolated(
                "order-not-cancellable",
                f"Order {self.id} is {self.status.value}; only confirmed orders can be cancelled.",
            )
        self.cancel_requested = True
        self.status = OrderStatus.COMPENSATING
        self._touch(now)

    def pending_compensations(self) -> list[StepRef]:
        """Finished, compensable, not yet compensated steps: most recent first."""
        if self.status is not OrderStatus.COMPENSATING:
            return []
        done = [s.ref for s in self.steps if s.state is StepState.DONE]
        return [ref for ref in reversed(done) if ref.kind in COMPENSABLE]

    def compensated(self, ref: StepRef, detail: str, now: datetime) -> None:
        step = self.step(ref)
        if step is None or step.state is not StepState.DONE:
            return
        step.state, step.detail, step.at = StepState.COMPENSATED, detail, now
        self._touch(now)

    def finish_compensation(self, now: datetime) -> None:
        """After every compensation: ``cancelled`` or ``failed``."""
        if self.status is not OrderStatus.COMPENSATING or self.pending_compensations():
            return
        self._end(now)

    def _end(self, now: datetime) -> None:
        if self.cancel_requested:
            self.status = OrderStatus.CANCELLED
            self.events.append(
                OrderCancelled(order_id=self.id, customer=self.customer, occurred_at=now)
            )
        else:
            self.status = OrderStatus.FAILED
            self.events.append(
                OrderFailed(
                    order_id=self.id,
                    customer=self.customer,
                    reason=self.failure or "",
                    occurred_at=now,
                )
            )
        self._touch(now)

    def _touch(self, now: datetime) -> None:
        self.updated_at = now
        self.version += 1
