"""Command handlers of the payments service: each one transaction, safely retryable."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from shop.payments.domain.money import CurrencyMismatch, Money
from shop.payments.domain.payment import Payment, Refund
from shop.payments.service_layer.commands import CapturePayment, CreatePayment, RefundPayment
from shop.payments.service_layer.defects import (
    FOREIGN_PAYMENT_READABLE,
    IDEMPOTENCY_IGNORED,
    REFUND_OVER_CAPTURE,
)
from shop.payments.service_layer.environment import PaymentsEnvironment
from shop.payments.service_layer.idempotency import (
    DuplicateRequest,
    IdempotencyClaim,
    IdempotencyRecord,
    StoredOutcome,
)
from shop.payments.service_layer.unit_of_work import (
    PaymentQuery,
    PaymentsUnitOfWork,
    collect_events,
)
from shop.payments.service_layer.views import (
    PAYMENT,
    REFUND,
    payment_snapshot,
    refund_snapshot,
)

PAYMENT_DECLINED_STATUS = 402

Precondition = Callable[[Payment], None]


class PaymentNotFound(LookupError):
    def __init__(self, payment_id: str) -> None:
        super().__init__(f"payment {payment_id} not found")
        self.payment_id = payment_id


def run_idempotent(
    uow: PaymentsUnitOfWork,
    claim: IdempotencyClaim | None,
    env: PaymentsEnvironment,
    action: Callable[[], StoredOutcome],
) -> StoredOutcome:
    """Run ``action`` in one transaction that also records its outcome under ``claim``.

    A concurrent duplicate that committed first makes our commit fail on the unique key;
    we then run once more, which finds and replays the winner's outcome.
    """
    if claim is not None and env.defects.on(IDEMPOTENCY_IGNORED):
        # DEFECT payments-idempotency-ignored: the key is never looked at, so a retry
        # authorizes and captures a second time.
        claim = None
    try:
        return _once(uow, claim, action)
    except DuplicateRequest:
        return _once(uow, claim, action)


def _once(
    uow: PaymentsUnitOfWork, claim: IdempotencyClaim | None, action: Callable[[], StoredOutcome]
) -> StoredOutcome:
    with uow:
        if claim is not None:
            prior = uow.idempotency.get(claim.scope, claim.key)
            if prior is not None:
                return prior.replay(claim)
        outcome = action()
        if claim is not None:
            uow.idempotency.add(
                IdempotencyRecord(claim.scope, claim.key, claim.fingerprint, outcome)
            )
        uow.commit()
    return outcome


def create_payment(
    cmd: CreatePayment, uow: PaymentsUnitOfWork, env: PaymentsEnvironment
) -> StoredOutcome:
    """Authorize (and with ``capture``, capture) a payment; 402 when declined."""
    amount = Money(cmd.amount_minor, cmd.currency)
    payment_id = env.ids("pay")
    claim = cmd.idempotency
    reference = f"{claim.scope}:{claim.key}" if claim else payment_id

    def action() -> StoredOutcome:
        decision = env.gateway.authorize(reference, amount, cmd.method)
        now = env.clock()
        payment = Payment.authorize(
            payment_id, cmd.customer, amount, order_id=cmd.order_id, method=cmd.method, now=now
        )
        if not decision.approved:
            payment.decline(decision.reason, now)
        elif cmd.capture:
            payment.capture(None, now)
        uow.payments.add(payment)
        collect_events(uow, payment)
        status = 201 if decision.approved else PAYMENT_DECLINED_STATUS
        return StoredOutcome(status, PAYMENT, payment_snapshot(payment))

    return run_idempotent(uow, cmd.idempotency, env, action)


def _load(
    uow: PaymentsUnitOfWork, payment_id: str, precondition: Precondition | None = None
) -> Payment:
    payment = uow.payments.get(payment_id)
    if payment is None:
        raise PaymentNotFound(payment_id)
    if precondition is not None:
        precondition(payment)
    return payment


def _same_currency(payment: Payment, currency: str | None) -> None:
    if currency is not None and currency != payment.currency:
        raise CurrencyMismatch(f"Payment {payment.id} is in {payment.currency}, not {currency}.")


def capture_payment(
    cmd: CapturePayment,
    uow: PaymentsUnitOfWork,
    env: PaymentsEnvironment,
    precondition: Precondition | None = None,
) -> StoredOutcome:
    """Capture an authorized payment; ``precondition`` sees it first (If-Match)."""

    def action() -> StoredOutcome:
        payment = _load(uow, cmd.payment_id, precondition)
        _same_currency(payment, cmd.currency)
        amount = None if cmd.amount_minor is None else Money(cmd.amount_minor, payment.currency)
        payment.capture(amount, env.clock())
        collect_events(uow, payment)
        return StoredOutcome(200, PAYMENT, payment_snapshot(payment))

    return run_idempotent(uow, cmd.idempotency, env, action)


def refund_payment(
    cmd: RefundPayment,
    uow: PaymentsUnitOfWork,
    env: PaymentsEnvironment,
    precondition: Precondition | None = None,
) -> StoredOutcome:
    """Refund part of a captured payment; the refunded total never exceeds the capture."""

    def action() -> StoredOutcome:
        payment = _load(uow, cmd.payment_id, precondition)
        _same_currency(payment, cmd.currency)
        refund = Refund(
            env.ids("ref"), Money(cmd.amount_minor, payment.currency), cmd.reason, env.clock()
        )
        # DEFECT payments-refund-over-capture: the captured-amount limit is not enforced.
        enforce = not env.defects.on(REFUND_OVER_CAPTURE)
        payment.refund(refund, enforce_limit=enforce)
        collect_events(uow, payment)
        return StoredOutcome(201, REFUND, refund_snapshot(payment, refund))

    return run_idempotent(uow, cmd.idempotency, env, action)


def get_payment(
    payment_id: str, viewer: str | None, uow: PaymentsUnitOfWork, env: PaymentsEnvironment
) -> Payment:
    """The payment, if ``viewer`` may see it (``None``: staff, sees all); else not found.

    Another customer's payment is reported as missing, so ids do not leak existence.
    """
    with uow:
        payment = uow.payments.get(payment_id)
    foreign = payment is not None and viewer is not None and payment.customer != viewer
    if foreign and env.defects.on(FOREIGN_PAYMENT_READABLE):
        # DEFECT payments-foreign-payment-readable: ownership is not checked (BOLA).
        foreign = False
    if payment is None or foreign:
        raise PaymentNotFound(payment_id)
    return payment


def list_payments(query: PaymentQuery, uow: PaymentsUnitOfWork) -> Sequence[Payment]:
    """One page of payments matching ``query`` (customers: ``query.customer`` is theirs)."""
    with uow:
        return list(uow.payments.list(query))
