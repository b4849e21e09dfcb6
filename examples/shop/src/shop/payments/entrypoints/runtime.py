"""What the payments routers share: unit of work factory, environment, header docs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Header, Path, Request
from pydantic import BaseModel

from shop.identity import Principal, require_scopes
from shop.payments.service_layer.environment import PaymentsEnvironment
from shop.payments.service_layer.idempotency import IdempotencyClaim, fingerprint
from shop.payments.service_layer.unit_of_work import SORT_FIELDS, PaymentsUnitOfWork
from shop.platform.pagination import SortSpec, sort_param
from shop.platform.problems import problem_responses

PRIVILEGED_ROLES = frozenset({"staff", "admin"})

ETAG_HEADER: dict[str, Any] = {
    "ETag": {
        "description": "Strong entity tag of the payment's version; send it in If-Match.",
        "schema": {"type": "string"},
    }
}
LOCATION_HEADER: dict[str, Any] = {
    "Location": {"description": "URL of the created resource.", "schema": {"type": "string"}}
}

IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        description="Unique per intended operation: a retry with the same key and body "
        "replays the first answer (status included); another body with it is a 422.",
    ),
]
IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description="Optional: the payment's ETag the change is based on (412 when stale).",
    ),
]


@dataclass(frozen=True)
class PaymentsRuntime:
    uow: Callable[[], PaymentsUnitOfWork]
    env: PaymentsEnvironment


def viewer_of(principal: Principal) -> str | None:
    """Whose payments ``principal`` may see: their own (customers) or all (``None``)."""
    if principal.kind == "service" or principal.roles & PRIVILEGED_ROLES:
        return None
    return principal.subject


def claim_of(principal: Principal, key: str, request: Request, body: BaseModel) -> IdempotencyClaim:
    """The idempotency claim of a public POST: scoped to the caller, bound to the request."""
    digest = fingerprint(request.method, request.url.path, body.model_dump(mode="json"))
    return IdempotencyClaim(f"{principal.kind}:{principal.subject}", key, digest)


PaymentId = Annotated[str, Path(min_length=1, max_length=64, description="The payment id.")]
Reader = Annotated[Principal, require_scopes("payments:read")]
Writer = Annotated[Principal, require_scopes("payments:write")]
PaymentSort = Annotated[SortSpec, Depends(sort_param(SORT_FIELDS, "-created_at", tiebreaker="id"))]
CREATED: dict[str, Any] = {"description": "Created.", "headers": {**LOCATION_HEADER, **ETAG_HEADER}}
READ: dict[str, Any] = {"description": "The payment.", "headers": ETAG_HEADER}
CAPTURED: dict[str, Any] = {"description": "Captured.", "headers": ETAG_HEADER}
DECLINED = problem_responses(402)


def payment_links(version: str) -> dict[str, Any]:
    """OpenAPI links from a created payment to the operations on it."""
    parameters = {"payment_id": "$response.body#/id"}
    return {
        name: {"operationId": f"{operation}_{version}", "parameters": parameters}
        for name, operation in (
            ("GetPayment", "get_payment"),
            ("CapturePayment", "capture_payment"),
            ("RefundPayment", "refund_payment"),
        )
    }
