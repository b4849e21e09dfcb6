"""Ports over the facades of services in this process (``ServiceContext.facades``).

The peers' errors are platform problems (inventory, allocation) or payments' own
exceptions; a 4xx refusal becomes ``StepRejected``, a 5xx or an outage of the payment
processor ``DownstreamUnavailable``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Protocol

from shop.orders.service_layer.ports import DownstreamUnavailable, StepRejected
from shop.payments.domain.money import CurrencyMismatch, InvalidMoney
from shop.payments.domain.payment import PaymentRuleViolated
from shop.payments.service_layer.facade import PaymentDeclined
from shop.payments.service_layer.gateway import GatewayUnavailable
from shop.payments.service_layer.handlers import PaymentNotFound
from shop.payments.service_layer.idempotency import DuplicateRequest, IdempotencyMismatch
from shop.payments.service_layer.unit_of_work import PaymentChanged
from shop.platform.problems import Problem


class InventoryFacade(Protocol):
    def reserve(
        self, order_id: str, lines: Sequence[tuple[str, int]], ttl_seconds: int = 900
    ) -> str: ...

    def release(self, reservation_id: str) -> None: ...

    def confirm(self, reservation_id: str) -> None: ...

    def price_of(self, sku: str) -> tuple[int, str]: ...


class AllocationFacade(Protocol):
    def allocate(self, order_id: str, sku: str, qty: int) -> str: ...

    def deallocate(self, order_id: str, sku: str) -> None: ...


class PaymentsFacade(Protocol):
    def charge(
        self,
        order_id: str,
        customer: str,
        amount_minor: int,
        currency: str,
        idempotency_key: str,
        *,
        method: str,
    ) -> str: ...

    def refund(self, payment_id: str, amount_minor: int, idempotency_key: str) -> None: ...


@contextmanager
def peer_errors() -> Iterator[None]:
    """Translate a peer facade's exceptions into the saga's two outcomes."""
    try:
        yield
    except PaymentDeclined as exc:
        raise StepRejected("payment-declined", str(exc), 402) from exc
    except GatewayUnavailable as exc:
        raise DownstreamUnavailable("the payment processor is unavailable") from exc
    except (PaymentRuleViolated, PaymentNotFound, IdempotencyMismatch) as exc:
        raise StepRejected(type(exc).__name__, str(exc), 409) from exc
    except (InvalidMoney, CurrencyMismatch) as exc:
        raise StepRejected("invalid-amount", str(exc), 422) from exc
    except (PaymentChanged, DuplicateRequest) as exc:
        raise DownstreamUnavailable("the payment changed concurrently") from exc
    except Problem as exc:
        if exc.status >= 500:
            raise DownstreamUnavailable(exc.detail) from exc
        raise StepRejected(exc.slug, exc.detail, exc.status) from exc


class InProcessInventory:
    """``InventoryPort`` over ``facades["inventory"]`` (looked up at each call)."""

    def __init__(self, facade: Callable[[], InventoryFacade], ttl_seconds: int = 900) -> None:
        self._facade = facade
        self._ttl = ttl_seconds

    def price_of(self, sku: str) -> tuple[int, str]:
        with peer_errors():
            return self._facade().price_of(sku)

    def reserve(self, order_id: str, lines: Sequence[tuple[str, int]]) -> str:
        with peer_errors():
            return self._facade().reserve(order_id, lines, self._ttl)

    def release(self, reservation_id: str) -> None:
        with peer_errors():
            self._facade().release(reservation_id)

    def confirm(self, reservation_id: str) -> None:
        with peer_errors():
            self._facade().confirm(reservation_id)


class InProcessAllocation:
    def __init__(self, facade: Callable[[], AllocationFacade]) -> None:
        self._facade = facade

    def allocate(self, order_id: str, sku: str, qty: int) -> str:
        with peer_errors():
            return self._facade().allocate(order_id, sku, qty)

    def deallocate(self, order_id: str, sku: str) -> None:
        with peer_errors():
            self._facade().deallocate(order_id, sku)


class InProcessPayments:
    def __init__(self, facade: Callable[[], PaymentsFacade]) -> None:
        self._facade = facade

    def charge(
        self,
        order_id: str,
        customer: str,
        amount_minor: int,
        currency: str,
        idempotency_key: str,
        *,
        method: str,
    ) -> str:
        with peer_errors():
            return self._facade().charge(
                order_id, customer, amount_minor, currency, idempotency_key, method=method
            )

    def refund(self, payment_id: str, amount_minor: int, idempotency_key: str) -> None:
        with peer_errors():
            self._facade().refund(payment_id, amount_minor, idempotency_key)
