"""The payments service as the app factory mounts it (``SERVICE``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter

from shop.payments.adapters.gateway import SimulatedGateway
from shop.payments.adapters.unit_of_work import SqlPaymentsUnitOfWork
from shop.payments.entrypoints.routes import build_v1_router, build_v2_router
from shop.payments.entrypoints.routes_internal import build_internal_router
from shop.payments.entrypoints.runtime import PaymentsRuntime
from shop.payments.service_layer.defects import PAYMENTS_DEFECTS
from shop.payments.service_layer.environment import PaymentsEnvironment
from shop.payments.service_layer.facade import PaymentsFacade
from shop.platform.defects import register_defect
from shop.platform.services import ServiceContext, ServiceModule

for _name, _description in PAYMENTS_DEFECTS.items():
    register_defect(_name, _description)

TAGS: list[dict[str, Any]] = [
    {
        "name": "payments",
        "description": "Payment intents, captures and refunds. Money is integer minor units "
        "with an ISO 4217 currency; every POST takes an Idempotency-Key.",
    },
    {
        "name": "payments-internal",
        "description": "Charges and refunds for other shop services (X-API-Key).",
    },
]


def payments_runtime(ctx: ServiceContext) -> PaymentsRuntime:
    """The payments wiring on ``ctx``: SQL units of work, simulated processor, defects."""

    def uow() -> SqlPaymentsUnitOfWork:
        return SqlPaymentsUnitOfWork(ctx.session_factory, on_commit=ctx.relay.wake)

    return PaymentsRuntime(uow, PaymentsEnvironment(SimulatedGateway(), defects=ctx.defects))


def build_routers(ctx: ServiceContext) -> Sequence[APIRouter]:
    runtime = payments_runtime(ctx)
    ctx.facades["payments"] = PaymentsFacade(runtime.uow, runtime.env)
    return [build_v1_router(runtime), build_v2_router(runtime), build_internal_router(runtime)]


SERVICE = ServiceModule("payments", build_routers, TAGS)
