"""What the orders routers share: the wired service layer, header and auth declarations."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Header, Path, Request
from pydantic import BaseModel

from shop.identity import Principal, require_scopes
from shop.orders.service_layer.idempotency import IdempotencyClaim, fingerprint
from shop.orders.service_layer.unit_of_work import SORT_FIELDS
from shop.platform.pagination import SortSpec, sort_param

PRIVILEGED_ROLES = frozenset({"staff", "admin"})

ETAG_HEADER: dict[str, Any] = {
    "ETag": {
        "description": "Strong entity tag of the order's version; send it in If-Match.",
        "schema": {"type": "string"},
    }
}
LOCATION_HEADER: dict[str, Any] = {
    "Location": {"description": "URL of the order.", "schema": {"type": "string"}}
}
PLACED: dict[str, Any] = {
    "description": "Placed: stock reserved and allocated, payment captured.",
    "headers": {**LOCATION_HEADER, **ETAG_HEADER},
}
ACCEPTED: dict[str, Any] = {
    "description": "Accepted but not finished (a service was unavailable); the order "
    "completes or fails later; poll its Location.",
    "headers": {**LOCATION_HEADER, **ETAG_HEADER},
}
READ: dict[str, Any] = {"description": "The order.", "headers": ETAG_HEADER}
CANCELLED: dict[str, Any] = {
    "description": "Cancelled: refunded, deallocated and released.",
    "headers": ETAG_HEADER,
}

IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        description="Unique per intended order: a retry with the same key and body replays "
        "the first answer (status included); another body with it is a 422.",
    ),
]
IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description="Optional: the order's ETag the change is based on (412 when stale).",
    ),
]
OrderId = Annotated[str, Path(min_length=1, max_length=64, description="The order id.")]
Reader = Annotated[Principal, require_scopes("orders:read")]
Writer = Annotated[Principal, require_scopes("orders:write")]
OrderSort = Annotated[SortSpec, Depends(sort_param(SORT_FIELDS, "-created_at", tiebreaker="id"))]


def viewer_of(principal: Principal) -> str | None:
    """Whose orders ``principal`` may see: their own (customers) or all (``None``)."""
    if principal.kind == "service" or principal.roles & PRIVILEGED_ROLES:
        return None
    return principal.subject


def claim_of(principal: Principal, key: str, request: Request, body: BaseModel) -> IdempotencyClaim:
    """The idempotency claim of a placement: scoped to the caller, bound to the request."""
    digest = fingerprint(request.method, request.url.path, body.model_dump(mode="json"))
    return IdempotencyClaim(f"{principal.kind}:{principal.subject}", key, digest)


def order_links(version: str) -> dict[str, Any]:
    """OpenAPI links from a placed order to the operations on it."""
    parameters = {"order_id": "$response.body#/id"}
    return {
        "GetOrder": {"operationId": f"get_order_{version}", "parameters": parameters},
        "CancelOrder": {"operationId": f"cancel_order_{version}", "parameters": parameters},
    }
