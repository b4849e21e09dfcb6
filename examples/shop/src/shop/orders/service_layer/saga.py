"""The order saga: drives an order through its plan, compensating on refusal.

Every finished step is committed (with its downstream reference) before the next one
starts, so a crash loses at most the step in flight; ``run`` continues from the log with
the same idempotency keys, which makes repeating that step safe. Calls to other services
happen outside database transactions.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Concatenate, ParamSpec

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

P = ParamSpec("P")


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
        """Drive the order forward, or backward when compensating; its state afterwards."""
        order = self._load(order_id)
        while order.status is OrderStatus.PENDING:
            ref = order.next_step()
            if ref is None:  # pragma: no cover - a pending order always has a next step
                break
            advanced = self._advance(order, ref)
            if advanced is None:
                return self._load(order_id)
            order = advanced
        if order.status is OrderStatus.COMPENSATING:
            order = self._compensate(order)
        return order

    def _advance(self, order: Order, ref: StepRef) -> Order | None:
        """Perform ``ref`` and log the result; None when the saga must pause."""
        now = self._env.clock
        try:
            reference = self._perform(order, ref)
        except StepRejected as exc:
            logger.info("order %s: %s rejected (%s)", order.id, ref, exc.reason)
            if ref.kind is StepKind.CHARGE and self._env.defects.on(
                NO_COMPENSATION_ON_PAYMENT_FAILURE
            ):
                # DEFECT orders-no-compensation-on-payment-failure: the reservation and
                # allocations of a declined order are never given back.
                return self._record(
                    order.id, Order.fail, ref, exc.reason, exc.detail, now(), compensate=False
                )
            return self._record(order.id, Order.fail, ref, exc.reason, exc.detail, now())
        except DownstreamUnavailable as exc:
            logger.warning("order %s: %s paused (%s)", order.id, ref, exc)
            self._record(order.id, Order.pause, ref, str(exc), now())
            return None
        return self._record(order.id, Order.complete, ref, reference, now())

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

    def _compensate(self, order: Order) -> Order:
        now = self._env.clock
        for ref in order.pending_compensations():
            try:
                detail = self._undo(order, ref)
            except DownstreamUnavailable as exc:
                logger.warning("order %s: undoing %s paused (%s)", order.id, ref, exc)
                return self._record(order.id, Order.pause, ref, str(exc), now())
            order = self._record(order.id, Order.compensated, ref, detail, now())
        return self._record(order.id, Order.finish_compensation, now())

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

    def _load(self, order_id: str) -> Order:
        with self._uow_factory() as uow:
            order = uow.orders.get(order_id)
        if order is None:
            raise OrderNotFound(order_id)
        return order

    def _record(
        self,
        order_id: str,
        change: Callable[Concatenate[Order, P], None],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> Order:
        """Apply ``change(order, ...)`` to the stored order in its own transaction."""
        with self._uow_factory() as uow:
            order = uow.orders.get(order_id)
            if order is None:
                raise OrderNotFound(order_id)
            change(order, *args, **kwargs)
            collect_events(uow, order)
            uow.commit()
        return order
