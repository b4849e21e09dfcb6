"""The order saga: drives an order through its plan, compensating on refusal.

Plan: reserve stock → allocate each line → charge → confirm the reservation. A refused
step (``StepRejected``) turns the order to compensating: refund, deallocate and release
what was done, most recent first, then ``failed``. An unreachable peer
(``DownstreamUnavailable``) pauses the saga; ``run`` (``resume_pending``) continues it.

The log (steps and downstream references) is committed before the charge, right after
it, on every pause and compensation, and with the final state. Every call is repeatable
with the same keys (reservations and allocations are keyed by order, charges and refunds
carry an ``Idempotency-Key``), so a crash between two commits is resumed by repeating
the unlogged steps. Calls to other services happen outside database transactions.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from shop.orders.domain.order import Order, OrderStatus
from shop.orders.domain.saga_log import StepKind, StepRef
from shop.orders.service_layer.defects import (
    NO_COMPENSATION_ON_PAYMENT_FAILURE,
    PAYMENT_RETRY_STORM,
    PAYMENT_RETRY_STORM_ATTEMPTS,
)
from shop.orders.service_layer.environment import OrdersEnvironment
from shop.orders.service_layer.ports import Downstream, DownstreamUnavailable, StepRejected
from shop.orders.service_layer.unit_of_work import OrdersUnitOfWork, collect_events

logger = logging.getLogger("shop.orders.saga")

OnFinal = Callable[[Order], None] | None
CHARGE = StepRef(StepKind.CHARGE)
FINAL = frozenset({OrderStatus.CONFIRMED, OrderStatus.FAILED, OrderStatus.CANCELLED})


class OrderNotFound(LookupError):
    def __init__(self, order_id: str) -> None:
        super().__init__(f"order {order_id} not found")
        self.order_id = order_id


def charge_key(order_id: str) -> str:
    return f"{order_id}:charge"


def refund_key(order_id: str) -> str:
    return f"{order_id}:refund"


class OrderSaga:
    def __init__(
        self,
        uow_factory: Callable[[], OrdersUnitOfWork],
        downstream: Downstream,
        env: OrdersEnvironment,
    ) -> None:
        self._uow_factory = uow_factory
        self._ports = downstream
        self._env = env

    def run(self, order_id: str) -> Order:
        """Load the order and drive it (forward, or backward when compensating)."""
        with self._uow_factory() as uow:
            order = uow.orders.get(order_id)
            if order is None:
                raise OrderNotFound(order_id)
            uow.commit()  # ends the read: no transaction stays open during calls
            return self.drive(uow, order)

    def drive(self, uow: OrdersUnitOfWork, order: Order, on_final: OnFinal = None) -> Order:
        """Drive ``order``, tracked by the open ``uow``, to a final or paused state.

        The log is committed before the charge (reserve and allocations, repeatable by
        order id), right after it (the payment id), whenever the saga pauses and with the
        final state; ``on_final(order)`` joins that last transaction. A crash between two
        commits is resumed by repeating the unlogged steps with the same keys. Between
        steps no database transaction is open; the order's version guards against
        another process driving the same order at the same time.
        """
        run = _Run(uow, order, on_final)
        while order.status is OrderStatus.PENDING:
            ref = order.next_step()
            if ref is None:  # pragma: no cover - a pending order always has a next step
                break
            if not self._advance(run, ref):
                return order
        if order.status is OrderStatus.COMPENSATING:
            self._compensate(run)
        return order

    def _advance(self, run: _Run, ref: StepRef) -> bool:
        """Perform ``ref`` and log the result; False when the saga must pause."""
        order, now = run.order, self._env.clock
        try:
            reference = self._perform(order, ref)
        except StepRejected as exc:
            logger.info("order %s: %s rejected (%s)", order.id, ref, exc.reason)
            compensate = True
            if ref.kind is StepKind.CHARGE and self._env.defects.on(
                NO_COMPENSATION_ON_PAYMENT_FAILURE
            ):
                # DEFECT orders-no-compensation-on-payment-failure: the reservation and
                # allocations of a declined order are never given back.
                compensate = False
            order.fail(ref, exc.reason, exc.detail, now(), compensate=compensate)
            run.commit()
            return True
        except DownstreamUnavailable as exc:
            logger.warning("order %s: %s paused (%s)", order.id, ref, exc)
            order.pause(ref, str(exc), now())
            run.commit()
            return False
        order.complete(ref, reference, now())
        if ref.kind is StepKind.CHARGE or order.next_step() in (None, CHARGE):
            run.commit()
        return True

    def _perform(self, order: Order, ref: StepRef) -> str | None:
        ports = self._ports
        reservation = order.reference_of(StepRef(StepKind.RESERVE)) or ""
        if ref.kind is StepKind.RESERVE:
            return ports.inventory.reserve(order.id, [(ln.sku, ln.qty) for ln in order.lines])
        if ref.kind is StepKind.ALLOCATE:
            qty = sum(line.qty for line in order.lines if line.sku == ref.target)
            return ports.allocation.allocate(order.id, ref.target, qty)
        if ref.kind is StepKind.CHARGE:
            return self._charge(order)
        ports.inventory.confirm(reservation)
        return reservation

    def _charge(self, order: Order) -> str:
        payments = self._ports.payments
        args = (order.id, order.customer, order.total_minor, order.currency)
        if not self._env.defects.on(PAYMENT_RETRY_STORM):
            return payments.charge(*args, charge_key(order.id), method=order.payment_method)
        # DEFECT orders-payment-retry-storm: immediate retries, no backoff, a new key each.
        for attempt in range(PAYMENT_RETRY_STORM_ATTEMPTS - 1):
            try:
                key = f"{charge_key(order.id)}:{attempt}"
                return payments.charge(*args, key, method=order.payment_method)
            except DownstreamUnavailable:
                continue
        last_key = f"{charge_key(order.id)}:{PAYMENT_RETRY_STORM_ATTEMPTS - 1}"
        return payments.charge(*args, last_key, method=order.payment_method)

    def _compensate(self, run: _Run) -> None:
        order, now = run.order, self._env.clock
        for ref in order.pending_compensations():
            try:
                detail = self._undo(order, ref)
            except DownstreamUnavailable as exc:
                logger.warning("order %s: undoing %s paused (%s)", order.id, ref, exc)
                order.pause(ref, str(exc), now())
                run.commit()
                return
            order.compensated(ref, detail, now())
            run.commit()
        order.finish_compensation(now())
        run.commit()

    def _undo(self, order: Order, ref: StepRef) -> str:
        ports = self._ports
        try:
            if ref.kind is StepKind.RESERVE:
                ports.inventory.release(order.reference_of(ref) or "")
            elif ref.kind is StepKind.ALLOCATE:
                ports.allocation.deallocate(order.id, ref.target)
            else:
                payment = order.reference_of(ref) or ""
                ports.payments.refund(payment, order.total_minor, refund_key(order.id))
        except StepRejected as exc:
            logger.error("order %s: undoing %s was refused: %s", order.id, ref, exc.detail)
            return f"refused: {exc.reason}"
        return ""


@dataclass(frozen=True)
class _Run:
    """One drive of one order: its unit of work and the hook of the final commit."""

    uow: OrdersUnitOfWork
    order: Order
    on_final: OnFinal

    def commit(self) -> None:
        """Commit the order's state and events (and, when final, ``on_final``'s work)."""
        if self.on_final is not None and self.order.status in FINAL:
            self.on_final(self.order)
        collect_events(self.uow, self.order)
        self.uow.commit()
