"""Version-independent parts of the payments endpoints: run, render, page, headers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import Response
from pydantic import BaseModel

from shop.payments.domain.payment import Payment
from shop.payments.entrypoints.errors import declined, payment_problems
from shop.payments.entrypoints.runtime import PaymentsRuntime
from shop.payments.service_layer import handlers
from shop.payments.service_layer.commands import CapturePayment, CreatePayment, RefundPayment
from shop.payments.service_layer.idempotency import StoredOutcome
from shop.payments.service_layer.unit_of_work import PaymentQuery, sort_values
from shop.payments.service_layer.views import payment_snapshot
from shop.platform.concurrency import check_if_match, etag_of
from shop.platform.pagination import encode_cursor

Model = TypeVar("Model", bound=BaseModel)
Render = Callable[[dict[str, Any]], Model]


def answer(outcome: StoredOutcome, response: Response, render: Render[Model]) -> Model:
    """The rendered outcome; its status (402 declines become a problem) and ETag."""
    if outcome.status == handlers.PAYMENT_DECLINED_STATUS:
        raise declined(outcome.snapshot)
    response.status_code = outcome.status
    if "version" in outcome.snapshot:
        response.headers["ETag"] = etag_of(outcome.snapshot["version"])
    return render(outcome.snapshot)


def if_match(header: str | None) -> Callable[[Payment], None]:
    def check(payment: Payment) -> None:
        check_if_match(header, etag_of(payment.version), required=False)

    return check


def create(
    rt: PaymentsRuntime, cmd: CreatePayment, response: Response, prefix: str, render: Render[Model]
) -> Model:
    with payment_problems(rt.env.defects):
        outcome = handlers.create_payment(cmd, rt.uow(), rt.env)
    response.headers["Location"] = f"{prefix}/payments/{outcome.snapshot['id']}"
    return answer(outcome, response, render)


def capture(
    rt: PaymentsRuntime,
    cmd: CapturePayment,
    header: str | None,
    response: Response,
    render: Render[Model],
) -> Model:
    with payment_problems(rt.env.defects):
        outcome = handlers.capture_payment(cmd, rt.uow(), rt.env, if_match(header))
    return answer(outcome, response, render)


def refund(
    rt: PaymentsRuntime,
    cmd: RefundPayment,
    header: str | None,
    response: Response,
    render: Render[Model],
) -> Model:
    with payment_problems(rt.env.defects):
        outcome = handlers.refund_payment(cmd, rt.uow(), rt.env, if_match(header))
    return answer(outcome, response, render)


def read(
    rt: PaymentsRuntime,
    payment_id: str,
    viewer: str | None,
    response: Response,
    render: Render[Model],
) -> Model:
    with payment_problems(rt.env.defects):
        payment = handlers.get_payment(payment_id, viewer, rt.uow(), rt.env)
    response.headers["ETag"] = etag_of(payment.version)
    return render(payment_snapshot(payment))


def page(
    rt: PaymentsRuntime, query: PaymentQuery, render: Render[Model]
) -> tuple[list[Model], str | None]:
    """One page (asking for one row more tells whether another page follows)."""
    wider = PaymentQuery(
        limit=query.limit + 1,
        customer=query.customer,
        status=query.status,
        order_id=query.order_id,
        sort=query.sort,
        after=query.after,
    )
    found = handlers.list_payments(wider, rt.uow())
    shown = found[: query.limit]
    more = len(found) > len(shown)
    cursor = encode_cursor(sort_values(shown[-1], query.sort)) if more else None
    return [render(payment_snapshot(p)) for p in shown], cursor
